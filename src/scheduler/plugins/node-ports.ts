import type { Pod } from 'kubernetes-types/core/v1.js';
import type { NodeInfo } from '../cache/node-info.ts';
import type { PodInfo } from '../cache/pod-info.ts';
import type { CycleState } from '../framework/cycle-state.ts';
import type { FilterPlugin } from '../framework/filter.ts';
import { success, unschedulable, type Status } from '../framework/status.ts';

/** One host port a pod asks for: `hostIP` empty or 0.0.0.0 means every address of the node. */
export interface HostPortUse {
  protocol: string;
  hostIP: string;
  port: number;
}

/** The upstream reason, word for word (kube-scheduler's NodePorts plugin). */
export const NODE_PORTS_REASON = "node(s) didn't have free ports for the requested pod ports";

/** The host ports of every container of `pod` (init containers included, as upstream); containerPorts without hostPort take none. */
export function hostPortsOf(pod: Pod): HostPortUse[] {
  const containers = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
  return containers.flatMap((c) =>
    (c.ports ?? []).filter((p) => (p.hostPort ?? 0) > 0).map((p) => ({ protocol: p.protocol ?? 'TCP', hostIP: p.hostIP ?? '', port: p.hostPort ?? 0 })),
  );
}

const isWildcard = (ip: string): boolean => ip === '' || ip === '0.0.0.0';

/** Two uses clash on the same protocol and port when their addresses are equal or either is the wildcard. */
export function portsConflict(a: HostPortUse, b: HostPortUse): boolean {
  return a.port === b.port && a.protocol === b.protocol && (a.hostIP === b.hostIP || isWildcard(a.hostIP) || isWildcard(b.hostIP));
}

/** A pod fits only on nodes where none of its hostPorts is already taken by a pod there. */
export class NodePorts implements FilterPlugin {
  readonly name = 'NodePorts';

  filter(_state: CycleState, pod: PodInfo, node: NodeInfo): Status {
    const wanted = hostPortsOf(pod.pod);
    if (wanted.length === 0) return success();
    for (const other of node.pods.values()) {
      const used = hostPortsOf(other.pod);
      if (wanted.some((w) => used.some((u) => portsConflict(w, u)))) return unschedulable(NODE_PORTS_REASON);
    }
    return success();
  }
}

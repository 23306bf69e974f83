/**
 * Connects the agent to its HTTPS API (`../server/agent-server.ts`, the kubelet's port 10250 surface:
 * logs, exec/attach, port-forward, stats summary): containers are resolved from what the runtime
 * reports (the source of truth, so it also works for pods adopted after a restart), pod IPs from the
 * agent's pod cache.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import { startAgentServer, type ResolvedContainer, type RunningAgentServer } from '../server/agent-server.ts';
import type { PodContainers } from '../server/stats-summary.ts';
import { renderCadvisor } from '../server/metrics/cadvisor-metrics.ts';
import type { KubeletMetrics } from '../server/metrics/kubelet-metrics.ts';
import type { ContainerRuntime, ContainerStatus } from '../runtime/container-runtime.ts';
import type { Clock } from '../../client/clock.ts';
import { attemptOf, type AgentLog } from './worker-context.ts';

/** TLS material and address of the agent's server. */
export interface NodeServerConfig {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Serving certificate and key (PEM), and the CA that signs the API server's client certificate. */
  cert: string;
  key: string;
  ca: string;
}

/** What the server needs from the agent. */
export interface NodeServerDeps {
  nodeName: string;
  runtime: ContainerRuntime;
  /** The pods bound to this node, as the agent's informer last saw them. */
  pods(): Pod[];
  /** The agent's registry, served on /metrics; /metrics/cadvisor is read from the runtime. */
  metrics?: KubeletMetrics;
  clock: Clock;
  log: AgentLog;
}

/**
 * Instances of one container, newest attempt first. With `podUid`, instances of an earlier pod of
 * the same name (a StatefulSet pod being replaced) are ignored.
 */
export function instancesOf(all: ContainerStatus[], ns: string, pod: string, container: string, podUid?: string): ContainerStatus[] {
  return all
    .filter((c) => c.podNamespace === ns && c.podName === pod && c.containerName === container && (podUid === undefined || c.podUid === podUid))
    .sort((a, b) => attemptOf(b) - attemptOf(a));
}

/** Groups running containers by pod, for /stats/summary. */
export function runningByPod(all: ContainerStatus[]): PodContainers[] {
  const byUid = new Map<string, PodContainers>();
  for (const c of all) {
    if (c.state !== 'running') continue;
    const entry = byUid.get(c.podUid) ?? { namespace: c.podNamespace, name: c.podName, uid: c.podUid, containers: [] };
    entry.containers.push({ name: c.containerName, id: c.id });
    byUid.set(c.podUid, entry);
  }
  return [...byUid.values()];
}

function imageOf(pod: Pod | undefined, container: string): string | undefined {
  return [...(pod?.spec?.containers ?? []), ...(pod?.spec?.initContainers ?? [])].find((c) => c.name === container)?.image;
}

/**
 * A container's cgroup path, cAdvisor's `id`, for runtimes that say where they put containers
 * (RuncRuntime's `cgroupsPath`; not part of the ContainerRuntime interface); '' otherwise.
 */
function cgroupOf(runtime: ContainerRuntime, c: ContainerStatus): string {
  const placement = runtime as ContainerRuntime & Partial<{ cgroupsPath(podUid: string, id: string): string }>;
  return placement.cgroupsPath?.(c.podUid, c.id) ?? '';
}

/** Starts the agent's HTTPS API; resolves once it listens. */
export async function startNodeServer(cfg: NodeServerConfig, deps: NodeServerDeps): Promise<RunningAgentServer> {
  const findPod = (ns: string, name: string): Pod | undefined => deps.pods().find((p) => p.metadata?.namespace === ns && p.metadata.name === name);
  return startAgentServer({
    nodeName: deps.nodeName,
    host: cfg.host,
    port: cfg.port,
    tls: { cert: cfg.cert, key: cfg.key, ca: cfg.ca },
    runtime: deps.runtime,
    clock: deps.clock,
    log: deps.log,
    async resolveContainer(ns, pod, container): Promise<ResolvedContainer | undefined> {
      const [latest, previous] = instancesOf(await deps.runtime.listContainers(), ns, pod, container, findPod(ns, pod)?.metadata?.uid);
      return latest ? { id: latest.id, ...(previous ? { previousId: previous.id } : {}) } : undefined;
    },
    podIp: (ns, pod) => findPod(ns, pod)?.status?.podIP,
    runningPods: async () => runningByPod(await deps.runtime.listContainers()),
    metrics: deps.metrics && {
      kubelet: deps.metrics.expose,
      cadvisor: () => renderCadvisor({ runtime: deps.runtime, imageOf: (ns, pod, container) => imageOf(findPod(ns, pod), container), cgroupOf: (c) => cgroupOf(deps.runtime, c) }),
    },
  });
}

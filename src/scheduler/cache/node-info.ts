import type { Node } from 'kubernetes-types/core/v1.js';
import { parseResourceList, type ResourceAmounts } from '../helpers/resources.ts';
import type { PodInfo } from './pod-info.ts';

/**
 * A node with the pods on it (bound or assumed) and the sums Filter and Score read. `node` is
 * undefined while pods are known for a node the cache has not seen (or has seen deleted).
 */
export class NodeInfo {
  readonly pods = new Map<string, PodInfo>();
  readonly requested: ResourceAmounts = {};
  readonly nonZeroRequested: ResourceAmounts = {};
  allocatable: ResourceAmounts = {};
  /** Pods here with required anti-affinity terms: the only ones that can reject an incoming pod. */
  readonly podsWithRequiredAntiAffinity = new Set<PodInfo>();

  constructor(
    readonly name: string,
    public node?: Node,
  ) {
    if (node) this.setNode(node);
  }

  setNode(node: Node): void {
    this.node = node;
    this.allocatable = parseResourceList((node.status?.allocatable ?? node.status?.capacity) as Record<string, string> | undefined);
  }

  addPod(p: PodInfo): void {
    if (this.pods.has(p.key)) this.removePod(p.key);
    this.pods.set(p.key, p);
    add(this.requested, p.requests, 1);
    add(this.nonZeroRequested, p.nonZeroRequests, 1);
    if (p.requiredAntiAffinity.length) this.podsWithRequiredAntiAffinity.add(p);
  }

  removePod(key: string): PodInfo | undefined {
    const p = this.pods.get(key);
    if (!p) return undefined;
    this.pods.delete(key);
    add(this.requested, p.requests, -1);
    add(this.nonZeroRequested, p.nonZeroRequests, -1);
    this.podsWithRequiredAntiAffinity.delete(p);
    return p;
  }

  /** A copy preemption can remove victims from without touching the cache. */
  clone(): NodeInfo {
    const copy = new NodeInfo(this.name);
    copy.node = this.node;
    copy.allocatable = this.allocatable;
    for (const p of this.pods.values()) copy.addPod(p);
    return copy;
  }

  labels(): Record<string, string> {
    return (this.node?.metadata?.labels ?? {}) as Record<string, string>;
  }
}

function add(target: ResourceAmounts, delta: ResourceAmounts, sign: 1 | -1): void {
  for (const [k, v] of Object.entries(delta)) target[k] = (target[k] ?? 0) + sign * v;
}

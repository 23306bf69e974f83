import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { NodeInfo } from './node-info.ts';
import { newPodInfo, podKey, type PodInfo } from './pod-info.ts';

interface PodState {
  info: PodInfo;
  nodeName: string;
  /** Placed by this scheduler, bind not yet seen through the informer. */
  assumed: boolean;
}

/**
 * The scheduler's picture of the cluster: nodes and the pods on them, fed by informers, plus
 * pods *assumed* onto a node as soon as they are reserved, so the next pod is scheduled without
 * waiting for the bind round-trip. A scheduling cycle is synchronous JavaScript, so it reads this
 * cache directly: no snapshot copy is needed for consistency.
 */
export class SchedulerCache {
  private readonly nodes = new Map<string, NodeInfo>();
  private readonly podStates = new Map<string, PodState>();
  private nodeListCache: NodeInfo[] | undefined;

  addOrUpdateNode(node: Node): void {
    const name = node.metadata?.name ?? '';
    const info = this.nodes.get(name);
    if (info) {
      if (!info.node) this.nodeListCache = undefined;
      info.setNode(node);
    } else {
      this.nodes.set(name, new NodeInfo(name, node));
      this.nodeListCache = undefined;
    }
  }

  removeNode(name: string): void {
    const info = this.nodes.get(name);
    if (!info) return;
    // Pods still bound to a deleted node keep counting until they go (upstream keeps a ghost entry).
    if (info.pods.size) info.node = undefined;
    else this.nodes.delete(name);
    this.nodeListCache = undefined;
  }

  /** Nodes that exist, in a stable order (round-robin filtering starts at a moving index). */
  nodeList(): readonly NodeInfo[] {
    this.nodeListCache ??= [...this.nodes.values()].filter((n) => n.node);
    return this.nodeListCache;
  }

  node(name: string): NodeInfo | undefined {
    const n = this.nodes.get(name);
    return n?.node ? n : undefined;
  }

  /** A bound pod seen through the informer (add or update): confirms an assumed pod. */
  addOrUpdatePod(pod: Pod): void {
    const nodeName = pod.spec?.nodeName;
    if (!nodeName) return;
    const key = podKey(pod);
    const current = this.podStates.get(key);
    if (current && !current.assumed && current.info.pod === pod) return;
    if (current) this.detach(key, current);
    const info = newPodInfo(pod);
    this.attach(key, { info, nodeName, assumed: false });
  }

  removePod(pod: Pod): void {
    const key = podKey(pod);
    const current = this.podStates.get(key);
    if (current) this.detach(key, current);
    this.podStates.delete(key);
  }

  /** Places a pod on a node ahead of its binding. */
  assumePod(info: PodInfo, nodeName: string): void {
    const current = this.podStates.get(info.key);
    if (current) this.detach(info.key, current);
    this.attach(info.key, { info, nodeName, assumed: true });
  }

  /** Drops an assumed pod whose binding failed. */
  forgetPod(key: string): void {
    const current = this.podStates.get(key);
    if (current?.assumed) {
      this.detach(key, current);
      this.podStates.delete(key);
    }
  }

  isAssumed(key: string): boolean {
    return this.podStates.get(key)?.assumed ?? false;
  }

  private attach(key: string, state: PodState): void {
    this.podStates.set(key, state);
    let info = this.nodes.get(state.nodeName);
    if (!info) {
      info = new NodeInfo(state.nodeName);
      this.nodes.set(state.nodeName, info);
    }
    info.addPod(state.info);
  }

  private detach(key: string, state: PodState): void {
    const info = this.nodes.get(state.nodeName);
    if (!info) return;
    info.removePod(key);
    if (!info.node && info.pods.size === 0) this.nodes.delete(state.nodeName);
  }
}

import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { isNotFound } from '../../client/api-error.ts';
import type { Informer } from '../../client/informer.ts';
import { R } from '../../client/resource-ref.ts';
import type { EventRecorder } from '../../controller/event-recorder.ts';
import type { ControllerConfig, Reconciler, Request, Result } from '../../controller/reconciler.ts';
import type { ControllerContext } from '../controller-context.ts';
import { healthTaintKey, lastHeartbeatMs, reconcileHealthTaints, unknownConditions } from './node-health.ts';
import { PodsByNode } from './pods-by-node.ts';
import { evictionDecision } from './taint-eviction.ts';

export const REASON_NODE_NOT_READY = 'NodeNotReady';
export const REASON_TAINT_EVICTION = 'TaintManagerEviction';
const NODE_LEASE_NAMESPACE = 'kube-node-lease';

export interface NodeLifecycleOptions {
  /** How long a node may go without renewing its Lease before it is Unknown (upstream 40 s). */
  gracePeriodMs?: number;
}

/**
 * Node lifecycle: a node whose Lease stops renewing past the grace period gets Ready=Unknown and
 * the unreachable NoSchedule/NoExecute taints (not-ready for Ready=False); taints go when Ready is
 * True again; pods on NoExecute-tainted nodes are deleted once their tolerationSeconds run out.
 */
export class NodeLifecycleReconciler implements Reconciler {
  constructor(
    private readonly ctx: ControllerContext,
    private readonly nodes: Informer<Node>,
    private readonly leases: Informer<Lease>,
    private readonly pods: PodsByNode,
    private readonly recorder: EventRecorder,
    private readonly gracePeriodMs: number,
  ) {}

  async reconcile(req: Request): Promise<Result | void> {
    const cached = this.nodes.get(req.name);
    if (!cached) return;
    let node: Node = structuredClone(cached);
    const now = this.ctx.clock.now().getTime();
    const silentFor = now - lastHeartbeatMs(node, this.leases.get(`${NODE_LEASE_NAMESPACE}/${req.name}`));
    let requeue: number | undefined = silentFor <= this.gracePeriodMs ? this.gracePeriodMs - silentFor + 100 : undefined;
    if (silentFor > this.gracePeriodMs) node = await this.markUnknown(node, now);
    node = await this.syncTaints(node, now);
    const next = await this.evictPods(node, now);
    if (next !== undefined) requeue = Math.min(requeue ?? Infinity, next);
    return requeue === undefined ? undefined : { requeueAfterMs: requeue };
  }

  private async markUnknown(node: Node, now: number): Promise<Node> {
    const conditions = unknownConditions(node, now);
    if (!conditions) return node;
    const updated = await this.ctx.client.updateStatus<Node>(R.nodes, { ...node, status: { ...node.status, conditions } });
    this.recorder.event(node, 'Normal', REASON_NODE_NOT_READY, `Node ${node.metadata?.name ?? ''} status is now: NodeNotReady`);
    this.ctx.log('node stopped posting status', { controller: 'nodelifecycle', object: node.metadata?.name });
    return updated;
  }

  private async syncTaints(node: Node, now: number): Promise<Node> {
    const taints = reconcileHealthTaints(node.spec?.taints, healthTaintKey(node.status?.conditions), now);
    if (!taints) return node;
    return this.ctx.client.update<Node>(R.nodes, { ...node, spec: { ...node.spec, taints: taints.length ? taints : undefined } });
  }

  /** Deletes pods whose time is up; returns when the next one is due. */
  private async evictPods(node: Node, now: number): Promise<number | undefined> {
    const taints = (node.spec?.taints ?? []).filter((t) => t.effect === 'NoExecute');
    if (taints.length === 0) return undefined;
    let next: number | undefined;
    for (const pod of this.pods.on(node.metadata?.name ?? '')) {
      if (pod.metadata?.deletionTimestamp) continue;
      const d = evictionDecision(pod, taints);
      if (d.kind === 'never') continue;
      if (d.kind === 'at' && d.atMs > now) {
        next = Math.min(next ?? Infinity, d.atMs - now + 50);
        continue;
      }
      await this.evict(pod);
    }
    return next;
  }

  private async evict(pod: Pod): Promise<void> {
    const meta = pod.metadata;
    this.recorder.event(pod, 'Normal', REASON_TAINT_EVICTION, `Marking for deletion Pod ${meta?.namespace ?? ''}/${meta?.name ?? ''}`);
    await this.ctx.client.delete(R.pods, meta?.namespace, meta?.name ?? '', { preconditions: { uid: meta?.uid } }).catch((err: unknown) => {
      if (!isNotFound(err)) throw err;
    });
  }
}

/** The `nodelifecycle` controller: reconciles nodes on node, Lease and pod changes. */
export function createNodeLifecycleController(ctx: ControllerContext, opts: NodeLifecycleOptions = {}): ControllerConfig {
  const nodes = ctx.informers.for<Node>(R.nodes);
  const leases = ctx.informers.for<Lease>(R.leases);
  const podInformer = ctx.informers.for<Pod>(R.pods);
  const pods = new PodsByNode(podInformer);
  const reconciler = new NodeLifecycleReconciler(ctx, nodes, leases, pods, ctx.recorder('node-controller'), opts.gracePeriodMs ?? 40_000);
  return {
    name: 'nodelifecycle',
    reconciler,
    workers: 4,
    watches: [
      { informer: nodes, toRequests: (n) => [{ name: n.metadata?.name ?? '' }] },
      { informer: leases, toRequests: (l) => (l.metadata?.namespace === NODE_LEASE_NAMESPACE ? [{ name: l.metadata.name ?? '' }] : []) },
      { informer: podInformer, toRequests: (p) => podNodeRequest(p as Pod) },
    ],
  };
}

function podNodeRequest(p: Pod): Request[] {
  return p.spec?.nodeName ? [{ name: p.spec.nodeName }] : [];
}

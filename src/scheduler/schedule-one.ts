import type { PodCondition } from 'kubernetes-types/core/v1.js';
import { R } from '../client/resource-ref.ts';
import type { NodeInfo } from './cache/node-info.ts';
import { newPodInfo, type PodInfo } from './cache/pod-info.ts';
import { CycleState } from './framework/cycle-state.ts';
import type { Framework } from './framework/framework.ts';
import type { PluginContext } from './framework/plugin-context.ts';
import { isRejection, isSuccess, type Status } from './framework/status.ts';
import { fitErrorMessage } from './failure-message.ts';
import type { QueuedPod, SchedulingQueue } from './queue/scheduling-queue.ts';
import type { AttemptResult } from './scheduler-metrics.ts';

export const REASON_FAILED_SCHEDULING = 'FailedScheduling';
export const REASON_SCHEDULED = 'Scheduled';

/** What one scheduling attempt needs; owned by the Scheduler. */
export interface CycleDeps {
  ctx: PluginContext;
  framework: Framework;
  queue: SchedulingQueue;
  /** Pods nominated to each node by preemption: they hold their place against lower priorities. */
  nominated: ReadonlyMap<string, ReadonlyMap<string, PodInfo>>;
  percentageOfNodesToScore?: number;
  /** Starts the binding (async); the scheduler limits how many run at once. */
  startBinding(q: QueuedPod, state: CycleState, info: PodInfo, nodeName: string): void;
  /** An attempt ended without a binding (a started binding reports its own end). */
  attempted?(q: QueuedPod, result: AttemptResult): void;
}

/** Rotates where filtering starts so nodes share the load, as upstream's nextStartNodeIndex does. */
export class CycleCursor {
  start = 0;
}

/**
 * Upstream's adaptive percentageOfNodesToScore: stop filtering after enough feasible nodes
 * (50% minus 1% per 125 nodes, at least 5%, at least 100 nodes).
 */
export function feasibleNodesToFind(total: number, percentage?: number): number {
  if (total < 100) return total;
  const pct = percentage ?? Math.max(5, 50 - total / 125);
  return Math.max(100, Math.floor((total * pct) / 100));
}

/**
 * One scheduling cycle, synchronous up to reserving the node (so it reads a consistent cache):
 * PreFilter → Filter (stopping at enough feasible nodes) → Score → Reserve → assume; binding then
 * proceeds in the background. On failure, PostFilter (preemption) runs and the pod is parked.
 */
export async function scheduleOne(deps: CycleDeps, cursor: CycleCursor, q: QueuedPod): Promise<void> {
  const info = newPodInfo(q.pod);
  const state = new CycleState();
  const nodes = deps.ctx.cache.nodeList();
  const filtered = new Map<string, Status>();
  if (nodes.length === 0) return fail(deps, q, info, state, 0, filtered, undefined);
  const pre = deps.framework.runPreFilter(state, info, nodes);
  if (!isSuccess(pre.status)) {
    for (const n of nodes) filtered.set(n.name, pre.status);
    return fail(deps, q, info, state, nodes.length, filtered, pre.status);
  }
  const feasible = findFeasible(deps, cursor, state, info, nodes, filtered);
  if (feasible.length === 0) return fail(deps, q, info, state, nodes.length, filtered, undefined);
  const chosen = feasible.length === 1 ? (feasible[0] as NodeInfo).name : pickBest(deps, state, info, feasible);
  const reserved = deps.framework.runReserve(state, info, chosen);
  if (!isSuccess(reserved)) {
    deps.queue.requeueAfterError(q);
    deps.attempted?.(q, 'error');
    return;
  }
  deps.ctx.cache.assumePod(info, chosen);
  deps.startBinding(q, state, info, chosen);
}

function findFeasible(deps: CycleDeps, cursor: CycleCursor, state: CycleState, info: PodInfo, nodes: readonly NodeInfo[], filtered: Map<string, Status>): NodeInfo[] {
  // A pod nominated by preemption tries its node first (upstream evaluateNominatedNode).
  const nominated = info.pod.status?.nominatedNodeName;
  const nominatedNode = nominated ? deps.ctx.cache.node(nominated) : undefined;
  if (nominatedNode && isSuccess(filterNode(deps, state, info, nominatedNode))) return [nominatedNode];
  const want = feasibleNodesToFind(nodes.length, deps.percentageOfNodesToScore);
  const feasible: NodeInfo[] = [];
  let visited = 0;
  for (; visited < nodes.length && feasible.length < want; visited++) {
    const n = nodes[(cursor.start + visited) % nodes.length] as NodeInfo;
    const s = filterNode(deps, state, info, n);
    if (isSuccess(s)) feasible.push(n);
    else filtered.set(n.name, s);
  }
  cursor.start = (cursor.start + visited) % nodes.length;
  return feasible;
}

/** Filters with higher-or-equal priority pods nominated to the node counted as if already there. */
function filterNode(deps: CycleDeps, state: CycleState, info: PodInfo, node: NodeInfo): Status {
  const nominated = deps.nominated.get(node.name);
  if (!nominated?.size) return deps.framework.runFilters(state, info, node);
  let copy: NodeInfo | undefined;
  for (const p of nominated.values()) {
    if (p.key === info.key || p.priority < info.priority) continue;
    copy ??= node.clone();
    copy.addPod(p);
  }
  return deps.framework.runFilters(state, info, copy ?? node);
}

function pickBest(deps: CycleDeps, state: CycleState, info: PodInfo, feasible: NodeInfo[]): string {
  const scores = deps.framework.runScore(state, info, feasible);
  let best = scores[0] as { name: string; score: number };
  let ties = 1;
  for (let i = 1; i < scores.length; i++) {
    const s = scores[i] as { name: string; score: number };
    if (s.score > best.score) {
      best = s;
      ties = 1;
    } else if (s.score === best.score && Math.random() * ++ties < 1) best = s;
  }
  return best.name;
}

async function fail(deps: CycleDeps, q: QueuedPod, info: PodInfo, state: CycleState, nodeCount: number, filtered: Map<string, Status>, preFilter: Status | undefined): Promise<void> {
  let postMessage: string | undefined;
  let nominated: string | undefined;
  if (nodeCount > 0 && [...filtered.values()].every(isRejection)) {
    try {
      const r = await deps.framework.runPostFilter(state, info, filtered);
      nominated = r.nominatedNodeName;
      if (!nominated) postMessage = r.status.reasons.join(', ') || undefined;
    } catch (err) {
      deps.ctx.log('preemption failed', { pod: q.key, err: String(err) });
    }
  }
  const message = fitErrorMessage(nodeCount, filtered, preFilter, postMessage);
  deps.ctx.recorder.event(q.pod, 'Warning', REASON_FAILED_SCHEDULING, message);
  markUnschedulable(deps, q, message);
  deps.queue.requeueUnschedulable(q);
  deps.attempted?.(q, 'unschedulable');
}

/** PodScheduled=False/Unschedulable (skipped when the pod already says exactly that). */
function markUnschedulable(deps: CycleDeps, q: QueuedPod, message: string): void {
  const current = q.pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
  if (current?.status === 'False' && current.reason === 'Unschedulable' && current.message === message) return;
  const condition: PodCondition = { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message, lastProbeTime: null as unknown as string, lastTransitionTime: deps.ctx.clock.now().toISOString().replace(/\.\d{3}Z$/, 'Z') };
  const meta = q.pod.metadata;
  deps.ctx.client
    .patch(R.pods, meta?.namespace, meta?.name ?? '', 'strategic', { status: { conditions: [condition] } }, { subresource: 'status' })
    .catch((err: unknown) => deps.ctx.log('pod condition not written', { pod: q.key, err: String(err) }));
}

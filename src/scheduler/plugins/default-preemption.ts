import { isNotFound } from '../../client/api-error.ts';
import { R } from '../../client/resource-ref.ts';
import type { NodeInfo } from '../cache/node-info.ts';
import type { PodInfo } from '../cache/pod-info.ts';
import type { CycleState } from '../framework/cycle-state.ts';
import type { Framework } from '../framework/framework.ts';
import type { PluginContext } from '../framework/plugin-context.ts';
import type { PostFilterPlugin, PostFilterResult } from '../framework/post-filter.ts';
import { isSuccess, success, unschedulable, type Status } from '../framework/status.ts';
import { countReasons } from '../failure-message.ts';

export const REASON_PREEMPTED = 'Preempted';
const NO_VICTIMS = 'No preemption victims found for incoming pod';
const NOT_HELPFUL = 'Preemption is not helpful for scheduling';

interface Candidate {
  node: string;
  victims: PodInfo[];
}

/**
 * Priority preemption: on nodes that failed only for reasons eviction can fix, find the fewest
 * lowest-priority pods whose removal lets the pod fit, delete them, and nominate the node
 * (`status.nominatedNodeName`). The pod itself is scheduled in a later cycle, once they are gone.
 * PodDisruptionBudgets are not consulted yet.
 */
export class DefaultPreemption implements PostFilterPlugin {
  readonly name = 'DefaultPreemption';

  constructor(
    private readonly ctx: PluginContext,
    private readonly framework: () => Framework,
  ) {}

  async postFilter(state: CycleState, pod: PodInfo, filtered: ReadonlyMap<string, Status>): Promise<PostFilterResult> {
    if (pod.pod.spec?.preemptionPolicy === 'Never') return { status: unschedulable('not eligible due to preemptionPolicy=Never.') };
    if (this.victimsStillTerminating(pod)) return { status: unschedulable('not eligible due to a terminating pod on the nominated node.') };
    const nodes = this.ctx.cache.nodeList();
    const reasons: string[] = [];
    const candidates: Candidate[] = [];
    for (const n of nodes) {
      const s = filtered.get(n.name);
      if (!s || s.code !== 'Unschedulable') {
        reasons.push(NOT_HELPFUL);
        continue;
      }
      const victims = this.selectVictims(state, pod, n);
      if (victims) candidates.push({ node: n.name, victims });
      else reasons.push(NO_VICTIMS);
    }
    const best = pickBest(candidates);
    if (!best) return { status: unschedulable(`0/${nodes.length} nodes are available: ${countReasons(reasons)}.`) };
    await this.preempt(pod, best);
    return { status: success(), nominatedNodeName: best.node };
  }

  /** A pod already nominated waits while the victims it caused are terminating, as upstream does. */
  private victimsStillTerminating(pod: PodInfo): boolean {
    const nominated = pod.pod.status?.nominatedNodeName;
    const node = nominated ? this.ctx.cache.node(nominated) : undefined;
    if (!node) return false;
    for (const p of node.pods.values()) if (p.pod.metadata?.deletionTimestamp && p.priority < pod.priority) return true;
    return false;
  }

  /** Removes every lower-priority pod, checks the pod fits, then reprieves as many as still allow it. */
  private selectVictims(state: CycleState, pod: PodInfo, node: NodeInfo): PodInfo[] | undefined {
    const lower = [...node.pods.values()].filter((p) => p.priority < pod.priority && !p.pod.metadata?.deletionTimestamp);
    if (lower.length === 0) return undefined;
    const copy = node.clone();
    for (const p of lower) copy.removePod(p.key);
    const fw = this.framework();
    if (!isSuccess(fw.runFilters(state, pod, copy))) return undefined;
    lower.sort((a, b) => b.priority - a.priority);
    const victims: PodInfo[] = [];
    for (const p of lower) {
      copy.addPod(p);
      if (!isSuccess(fw.runFilters(state, pod, copy))) {
        copy.removePod(p.key);
        victims.push(p);
      }
    }
    return victims;
  }

  private async preempt(pod: PodInfo, best: Candidate): Promise<void> {
    const meta = pod.pod.metadata;
    await this.ctx.client.patch(R.pods, meta?.namespace, meta?.name ?? '', 'merge', { status: { nominatedNodeName: best.node } }, { subresource: 'status' });
    await Promise.all(
      best.victims.map(async (v) => {
        this.ctx.recorder.event(v.pod, 'Normal', REASON_PREEMPTED, `Preempted by pod ${meta?.uid ?? ''} on node ${best.node}`);
        await this.ctx.client.delete(R.pods, v.pod.metadata?.namespace, v.pod.metadata?.name ?? '', { preconditions: { uid: v.pod.metadata?.uid } }).catch((err: unknown) => {
          if (!isNotFound(err)) throw err;
        });
      }),
    );
  }
}

/** Fewest-harm candidate: lowest highest-victim priority, then fewest victims, then lowest priority sum. */
function pickBest(candidates: Candidate[]): Candidate | undefined {
  const maxPrio = (c: Candidate) => Math.max(...c.victims.map((v) => v.priority));
  const sum = (c: Candidate) => c.victims.reduce((a, v) => a + v.priority, 0);
  return candidates.sort((a, b) => maxPrio(a) - maxPrio(b) || a.victims.length - b.victims.length || sum(a) - sum(b))[0];
}

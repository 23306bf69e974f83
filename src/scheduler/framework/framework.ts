import type { NodeInfo } from '../cache/node-info.ts';
import type { PodInfo } from '../cache/pod-info.ts';
import type { BindPlugin } from './bind.ts';
import type { CycleState } from './cycle-state.ts';
import type { FilterPlugin } from './filter.ts';
import type { PostFilterPlugin, PostFilterResult } from './post-filter.ts';
import type { PreBindPlugin } from './pre-bind.ts';
import type { PreFilterPlugin } from './pre-filter.ts';
import type { ReservePlugin } from './reserve.ts';
import type { NodeScore, ScorePlugin } from './score.ts';
import { isSuccess, success, unschedulable, type Status } from './status.ts';

/** The plugins of one scheduling profile, per extension point, in the order they run. */
export interface Profile {
  preFilter: PreFilterPlugin[];
  filter: FilterPlugin[];
  postFilter: PostFilterPlugin[];
  score: ScorePlugin[];
  reserve: ReservePlugin[];
  preBind: PreBindPlugin[];
  bind: BindPlugin[];
}

/** Runs a profile's extension points; statuses carry the answering plugin's name. */
export class Framework {
  constructor(readonly profile: Profile) {}

  /** Runs PreFilter; returns the first rejection, and the plugins whose Filter may be skipped. */
  runPreFilter(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): { status: Status; skipped: Set<string> } {
    const skipped = new Set<string>();
    for (const p of this.profile.preFilter) {
      const s = p.preFilter(state, pod, nodes);
      if (s.code === 'Skip') skipped.add(p.name);
      else if (!isSuccess(s)) return { status: { ...s, plugin: p.name }, skipped };
    }
    state.write('__skipped', skipped);
    return { status: success(), skipped };
  }

  /** Runs every Filter until one rejects the node. */
  runFilters(state: CycleState, pod: PodInfo, node: NodeInfo): Status {
    const skipped = state.read<Set<string>>('__skipped');
    for (const p of this.profile.filter) {
      if (skipped?.has(p.name)) continue;
      const s = p.filter(state, pod, node);
      if (!isSuccess(s)) return { ...s, plugin: p.name };
    }
    return success();
  }

  async runPostFilter(state: CycleState, pod: PodInfo, filtered: ReadonlyMap<string, Status>): Promise<PostFilterResult> {
    let last: PostFilterResult = { status: unschedulable() };
    for (const p of this.profile.postFilter) {
      last = await p.postFilter(state, pod, filtered);
      if (last.nominatedNodeName) return last;
    }
    return last;
  }

  /** Weighted sum of every Score plugin (after normalization) per node. */
  runScore(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): NodeScore[] {
    const totals = nodes.map((n) => ({ name: n.name, score: 0 }));
    for (const p of this.profile.score) {
      const scores = nodes.map((n) => ({ name: n.name, score: p.score(state, pod, n) }));
      p.normalize?.(state, pod, scores);
      scores.forEach((s, i) => ((totals[i] as NodeScore).score += s.score * p.weight));
    }
    return totals;
  }

  runReserve(state: CycleState, pod: PodInfo, nodeName: string): Status {
    for (const p of this.profile.reserve) {
      const s = p.reserve(state, pod, nodeName);
      if (!isSuccess(s)) {
        this.runUnreserve(state, pod, nodeName);
        return { ...s, plugin: p.name };
      }
    }
    return success();
  }

  runUnreserve(state: CycleState, pod: PodInfo, nodeName: string): void {
    for (const p of [...this.profile.reserve].reverse()) p.unreserve(state, pod, nodeName);
  }

  async runPreBindAndBind(state: CycleState, pod: PodInfo, nodeName: string, signal: AbortSignal): Promise<Status> {
    for (const p of this.profile.preBind) {
      const s = await p.preBind(state, pod, nodeName, signal);
      if (!isSuccess(s)) return { ...s, plugin: p.name };
    }
    for (const p of this.profile.bind) {
      const s = await p.bind(state, pod, nodeName, signal);
      if (s.code !== 'Skip') return { ...s, plugin: p.name };
    }
    return success();
  }
}

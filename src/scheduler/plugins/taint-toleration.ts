import type { NodeInfo } from '../cache/node-info.ts';
import type { PodInfo } from '../cache/pod-info.ts';
import type { CycleState } from '../framework/cycle-state.ts';
import type { FilterPlugin } from '../framework/filter.ts';
import { normalizeScores, type NodeScore, type ScorePlugin } from '../framework/score.ts';
import { success, unresolvable, type Status } from '../framework/status.ts';
import { findUntoleratedTaint, toleratesTaint } from '../helpers/tolerations.ts';

/** NoSchedule/NoExecute taints must be tolerated; untolerated PreferNoSchedule taints lower the score. */
export class TaintToleration implements FilterPlugin, ScorePlugin {
  readonly name = 'TaintToleration';
  readonly weight = 3;

  filter(_state: CycleState, pod: PodInfo, node: NodeInfo): Status {
    const taint = findUntoleratedTaint(node.node?.spec?.taints, pod.pod.spec?.tolerations, (t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute');
    if (!taint) return success();
    return unresolvable(`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`);
  }

  score(_state: CycleState, pod: PodInfo, node: NodeInfo): number {
    let count = 0;
    const tolerations = (pod.pod.spec?.tolerations ?? []).filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
    for (const taint of node.node?.spec?.taints ?? []) {
      if (taint.effect === 'PreferNoSchedule' && !tolerations.some((t) => toleratesTaint(t, taint))) count++;
    }
    return count;
  }

  normalize(_state: CycleState, _pod: PodInfo, scores: NodeScore[]): void {
    normalizeScores(scores, true);
  }
}

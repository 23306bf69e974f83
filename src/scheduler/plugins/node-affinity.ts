import type { NodeInfo } from '../cache/node-info.ts';
import type { PodInfo } from '../cache/pod-info.ts';
import type { CycleState } from '../framework/cycle-state.ts';
import type { FilterPlugin } from '../framework/filter.ts';
import { normalizeScores, type NodeScore, type ScorePlugin } from '../framework/score.ts';
import { success, unresolvable, type Status } from '../framework/status.ts';
import { podMatchesNodeSelectorAndAffinity, termMatchesNode } from '../../api/selectors/node-selector.ts';

/** nodeSelector and required node affinity filter; preferred node affinity terms score by weight. */
export class NodeAffinity implements FilterPlugin, ScorePlugin {
  readonly name = 'NodeAffinity';
  readonly weight = 2;

  filter(_state: CycleState, pod: PodInfo, node: NodeInfo): Status {
    if (!node.node) return unresolvable('node not found');
    return podMatchesNodeSelectorAndAffinity(pod.pod, node.node) ? success() : unresolvable("node(s) didn't match Pod's node affinity/selector");
  }

  score(_state: CycleState, pod: PodInfo, node: NodeInfo): number {
    const preferred = pod.pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution;
    if (!preferred || !node.node) return 0;
    let total = 0;
    for (const p of preferred) if (p.weight && termMatchesNode(p.preference, node.node)) total += p.weight;
    return total;
  }

  normalize(_state: CycleState, _pod: PodInfo, scores: NodeScore[]): void {
    normalizeScores(scores, false);
  }
}

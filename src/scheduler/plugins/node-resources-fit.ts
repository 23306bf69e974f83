import type { NodeInfo } from '../cache/node-info.ts';
import type { PodInfo } from '../cache/pod-info.ts';
import type { CycleState } from '../framework/cycle-state.ts';
import type { FilterPlugin } from '../framework/filter.ts';
import { MAX_NODE_SCORE, type ScorePlugin } from '../framework/score.ts';
import { success, unschedulable, type Status } from '../framework/status.ts';

/**
 * Requests against allocatable, including the node's pod count (`Too many pods`); scores by
 * LeastAllocated over cpu and memory so pods spread over the emptiest nodes.
 */
export class NodeResourcesFit implements FilterPlugin, ScorePlugin {
  readonly name = 'NodeResourcesFit';
  readonly weight = 1;

  filter(_state: CycleState, pod: PodInfo, node: NodeInfo): Status {
    const reasons: string[] = [];
    const maxPods = node.allocatable.pods ?? 110;
    if (node.pods.size + 1 > maxPods) reasons.push('Too many pods');
    for (const [name, want] of Object.entries(pod.requests)) {
      if (want <= 0) continue;
      const free = (node.allocatable[name] ?? 0) - (node.requested[name] ?? 0);
      if (want > free) reasons.push(`Insufficient ${name}`);
    }
    return reasons.length ? unschedulable(...reasons) : success();
  }

  score(_state: CycleState, pod: PodInfo, node: NodeInfo): number {
    let total = 0;
    for (const r of ['cpu', 'memory']) {
      const alloc = node.allocatable[r] ?? 0;
      if (alloc <= 0) continue;
      const used = (node.nonZeroRequested[r] ?? 0) + (pod.nonZeroRequests[r] ?? 0);
      total += used > alloc ? 0 : ((alloc - used) * MAX_NODE_SCORE) / alloc;
    }
    return Math.floor(total / 2);
  }
}

import type { NodeInfo } from '../cache/node-info.ts';
import type { PodInfo } from '../cache/pod-info.ts';
import type { CycleState } from '../framework/cycle-state.ts';
import type { FilterPlugin } from '../framework/filter.ts';
import { success, unresolvable, type Status } from '../framework/status.ts';
import { toleratesTaint } from '../helpers/tolerations.ts';

const UNSCHEDULABLE_TAINT = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };

/** Cordoned nodes (`spec.unschedulable`) take only pods tolerating the unschedulable taint. */
export class NodeUnschedulable implements FilterPlugin {
  readonly name = 'NodeUnschedulable';

  filter(_state: CycleState, pod: PodInfo, node: NodeInfo): Status {
    if (!node.node?.spec?.unschedulable) return success();
    if ((pod.pod.spec?.tolerations ?? []).some((t) => toleratesTaint(t, UNSCHEDULABLE_TAINT))) return success();
    return unresolvable('node(s) were unschedulable');
  }
}

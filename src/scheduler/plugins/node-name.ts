import type { NodeInfo } from '../cache/node-info.ts';
import type { PodInfo } from '../cache/pod-info.ts';
import type { CycleState } from '../framework/cycle-state.ts';
import type { FilterPlugin } from '../framework/filter.ts';
import { success, unresolvable, type Status } from '../framework/status.ts';

/** A pod naming a node in `spec.nodeName` fits only there. */
export class NodeName implements FilterPlugin {
  readonly name = 'NodeName';

  filter(_state: CycleState, pod: PodInfo, node: NodeInfo): Status {
    const want = pod.pod.spec?.nodeName;
    return !want || want === node.name ? success() : unresolvable("node(s) didn't match the requested node name");
  }
}

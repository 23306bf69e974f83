import type { NodeInfo } from '../cache/node-info.ts';
import type { PodInfo } from '../cache/pod-info.ts';
import type { CycleState } from './cycle-state.ts';
import type { Plugin } from './plugin.ts';
import type { Status } from './status.ts';

/**
 * Can the pod run on this node? Must be pure: it is called for many nodes per cycle, and again
 * by preemption on a copy of the node with victims removed.
 */
export interface FilterPlugin extends Plugin {
  filter(state: CycleState, pod: PodInfo, node: NodeInfo): Status;
}

import type { PodInfo } from '../cache/pod-info.ts';
import type { CycleState } from './cycle-state.ts';
import type { Plugin } from './plugin.ts';
import type { Status } from './status.ts';

/**
 * Binds the pod to the node. Binders run in order until one answers anything but `Skip`;
 * DefaultBinder POSTs pods/binding.
 */
export interface BindPlugin extends Plugin {
  bind(state: CycleState, pod: PodInfo, nodeName: string, signal: AbortSignal): Promise<Status>;
}

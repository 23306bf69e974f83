import type { PodInfo } from '../cache/pod-info.ts';
import type { CycleState } from './cycle-state.ts';
import type { Plugin } from './plugin.ts';
import type { Status } from './status.ts';

/** API writes that must happen before the pod is bound (e.g. selecting a node for a volume claim). */
export interface PreBindPlugin extends Plugin {
  preBind(state: CycleState, pod: PodInfo, nodeName: string, signal: AbortSignal): Promise<Status>;
}

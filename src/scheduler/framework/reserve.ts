import type { PodInfo } from '../cache/pod-info.ts';
import type { CycleState } from './cycle-state.ts';
import type { Plugin } from './plugin.ts';
import type { Status } from './status.ts';

/**
 * Holds resources a plugin tracks for the chosen node before binding (the scheduler does not
 * wait for the bind round-trip). If a later step fails, `unreserve` runs; it must be idempotent.
 */
export interface ReservePlugin extends Plugin {
  reserve(state: CycleState, pod: PodInfo, nodeName: string): Status;
  unreserve(state: CycleState, pod: PodInfo, nodeName: string): void;
}

import type { PodInfo } from '../cache/pod-info.ts';
import type { CycleState } from './cycle-state.ts';
import type { Plugin } from './plugin.ts';
import type { Status } from './status.ts';

/** What PostFilter made possible: the node the pod is now nominated to (after evicting victims). */
export interface PostFilterResult {
  status: Status;
  nominatedNodeName?: string;
}

/**
 * Runs only when no node passed Filter (preemption). `filtered` holds each node's failing status.
 * Its status message becomes the `preemption: …` part of the FailedScheduling message.
 */
export interface PostFilterPlugin extends Plugin {
  postFilter(state: CycleState, pod: PodInfo, filtered: ReadonlyMap<string, Status>): Promise<PostFilterResult>;
}

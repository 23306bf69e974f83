import type { NodeInfo } from '../cache/node-info.ts';
import type { PodInfo } from '../cache/pod-info.ts';
import type { CycleState } from './cycle-state.ts';
import type { Plugin } from './plugin.ts';
import type { Status } from './status.ts';

/**
 * Runs once per scheduling cycle before any Filter: checks the pod itself and precomputes what
 * Filter needs (e.g. topology counts) into `state`. A rejection here fails every node at once;
 * `Skip` tells the framework this plugin's Filter need not run for this pod.
 */
export interface PreFilterPlugin extends Plugin {
  preFilter(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): Status;
}

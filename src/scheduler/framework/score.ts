import type { NodeInfo } from '../cache/node-info.ts';
import type { PodInfo } from '../cache/pod-info.ts';
import type { CycleState } from './cycle-state.ts';
import type { Plugin } from './plugin.ts';

/** Highest score a plugin gives after normalization. */
export const MAX_NODE_SCORE = 100;

export interface NodeScore {
  name: string;
  score: number;
}

/**
 * Ranks feasible nodes. `score` runs per node; `normalize` (optional) rescales the whole list to
 * 0..MAX_NODE_SCORE in place. The framework multiplies by `weight` and sums over plugins.
 */
export interface ScorePlugin extends Plugin {
  readonly weight: number;
  score(state: CycleState, pod: PodInfo, node: NodeInfo): number;
  normalize?(state: CycleState, pod: PodInfo, scores: NodeScore[]): void;
}

/** Scales scores so the best is MAX_NODE_SCORE (or the reverse: the lowest raw score wins). */
export function normalizeScores(scores: NodeScore[], reverse: boolean): void {
  let max = 0;
  for (const s of scores) max = Math.max(max, s.score);
  for (const s of scores) {
    if (max === 0) s.score = reverse ? MAX_NODE_SCORE : 0;
    else s.score = reverse ? MAX_NODE_SCORE - Math.floor((s.score * MAX_NODE_SCORE) / max) : Math.floor((s.score * MAX_NODE_SCORE) / max);
  }
}

import type { TopologySpreadConstraint } from 'kubernetes-types/core/v1.js';
import { labelSelectorFromObject, type LabelSelector } from '../../api/selectors/label-selector.ts';
import type { NodeInfo } from '../cache/node-info.ts';
import type { PodInfo } from '../cache/pod-info.ts';
import type { CycleState } from '../framework/cycle-state.ts';
import type { FilterPlugin } from '../framework/filter.ts';
import type { PreFilterPlugin } from '../framework/pre-filter.ts';
import { MAX_NODE_SCORE, type NodeScore, type ScorePlugin } from '../framework/score.ts';
import { skip, success, unresolvable, unschedulable, type Status } from '../framework/status.ts';
import { podMatchesNodeSelectorAndAffinity } from '../../api/selectors/node-selector.ts';

interface Constraint {
  topologyKey: string;
  maxSkew: number;
  minDomains: number;
  selector: LabelSelector;
  /** Matching pods per topology value, over eligible nodes. */
  counts: Map<string, number>;
  selfMatch: number;
}

interface SpreadState {
  hard: Constraint[];
  soft: Constraint[];
}

/**
 * topologySpreadConstraints: `DoNotSchedule` constraints filter nodes whose domain would exceed
 * maxSkew over the least loaded domain; `ScheduleAnyway` ones score emptier domains higher.
 * Domains are counted over nodes matching the pod's node selector/affinity (nodeAffinityPolicy Honor).
 */
export class PodTopologySpread implements PreFilterPlugin, FilterPlugin, ScorePlugin {
  readonly name = 'PodTopologySpread';
  readonly weight = 2;

  preFilter(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): Status {
    const all = pod.pod.spec?.topologySpreadConstraints ?? [];
    if (all.length === 0) return skip();
    const build = (c: TopologySpreadConstraint) => this.buildConstraint(pod, c, nodes);
    const s: SpreadState = {
      hard: all.filter((c) => c.whenUnsatisfiable !== 'ScheduleAnyway').map(build),
      soft: all.filter((c) => c.whenUnsatisfiable === 'ScheduleAnyway').map(build),
    };
    state.write(this.name, s);
    return success();
  }

  filter(state: CycleState, _pod: PodInfo, node: NodeInfo): Status {
    const s = state.read<SpreadState>(this.name);
    if (!s) return success();
    const labels = node.labels();
    for (const c of s.hard) {
      const value = labels[c.topologyKey];
      if (value === undefined) return unresolvable("node(s) didn't match pod topology spread constraints (missing required label)");
      const skew = (c.counts.get(value) ?? 0) + c.selfMatch - globalMin(c);
      if (skew > c.maxSkew) return unschedulable("node(s) didn't match pod topology spread constraints");
    }
    return success();
  }

  score(state: CycleState, _pod: PodInfo, node: NodeInfo): number {
    const s = state.read<SpreadState>(this.name);
    if (!s || s.soft.length === 0) return 0;
    const labels = node.labels();
    let total = 0;
    for (const c of s.soft) {
      const value = labels[c.topologyKey];
      // Weighted like upstream: constraints over more domains matter more.
      total += value === undefined ? 0 : ((c.counts.get(value) ?? 0) + c.maxSkew - 1) * Math.log(c.counts.size + 2);
    }
    return total;
  }

  normalize(state: CycleState, _pod: PodInfo, scores: NodeScore[]): void {
    const s = state.read<SpreadState>(this.name);
    if (!s || s.soft.length === 0) return;
    let min = Infinity;
    let max = 0;
    for (const x of scores) {
      min = Math.min(min, x.score);
      max = Math.max(max, x.score);
    }
    for (const x of scores) x.score = max === min ? MAX_NODE_SCORE : Math.floor((MAX_NODE_SCORE * (max + min - x.score)) / max);
  }

  private buildConstraint(pod: PodInfo, c: TopologySpreadConstraint, nodes: readonly NodeInfo[]): Constraint {
    const own = pod.pod.metadata?.labels ?? {};
    const extra = Object.fromEntries((c.matchLabelKeys ?? []).filter((k) => own[k] !== undefined).map((k) => [k, own[k] as string]));
    const selector = labelSelectorFromObject({ ...c.labelSelector, matchLabels: { ...c.labelSelector?.matchLabels, ...extra } });
    const counts = new Map<string, number>();
    const ns = pod.pod.metadata?.namespace;
    for (const n of nodes) {
      const value = n.labels()[c.topologyKey];
      if (value === undefined || !n.node || !podMatchesNodeSelectorAndAffinity(pod.pod, n.node)) continue;
      let count = counts.get(value) ?? 0;
      for (const p of n.pods.values()) {
        if (p.pod.metadata?.namespace === ns && !p.pod.metadata?.deletionTimestamp && selector.matches(p.pod.metadata?.labels)) count++;
      }
      counts.set(value, count);
    }
    return { topologyKey: c.topologyKey, maxSkew: c.maxSkew, minDomains: c.minDomains ?? 1, selector, counts, selfMatch: selector.matches(own) ? 1 : 0 };
  }
}

/** The least loaded domain's count; 0 while fewer domains exist than minDomains. */
function globalMin(c: Constraint): number {
  if (c.counts.size < c.minDomains) return 0;
  let min = Infinity;
  for (const v of c.counts.values()) min = Math.min(min, v);
  return min === Infinity ? 0 : min;
}

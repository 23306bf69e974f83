import type { NodeInfo } from '../cache/node-info.ts';
import { termMatches, type AffinityTerm, type PodInfo } from '../cache/pod-info.ts';
import type { CycleState } from '../framework/cycle-state.ts';
import type { FilterPlugin } from '../framework/filter.ts';
import type { PreFilterPlugin } from '../framework/pre-filter.ts';
import { skip, success, unresolvable, unschedulable, type Status } from '../framework/status.ts';

/** Counts of matching pods per `topologyKey=value` pair. */
type TopologyCounts = Map<string, number>;

interface AffinityState {
  /** Topology pairs where an existing pod's required anti-affinity selects the incoming pod. */
  existingAnti: TopologyCounts;
  /** Per incoming affinity term: matching pods per topology pair. */
  affinity: TopologyCounts[];
  /** Per incoming anti-affinity term: matching pods per topology pair. */
  anti: TopologyCounts[];
  /** No pod anywhere matches the affinity terms: the first pod of a group may go anywhere its own labels fit. */
  noAffinityMatches: boolean;
}

const pair = (key: string, value: string) => `${key}=${value}`;
const bump = (m: TopologyCounts, k: string) => m.set(k, (m.get(k) ?? 0) + 1);

/**
 * Required pod affinity and anti-affinity over topology domains (`kubernetes.io/hostname`,
 * `topology.kubernetes.io/zone`, …), both the incoming pod's terms and existing pods' anti-affinity.
 * Preferred terms are not scored yet.
 */
export class InterPodAffinity implements PreFilterPlugin, FilterPlugin {
  readonly name = 'InterPodAffinity';

  preFilter(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): Status {
    const s: AffinityState = { existingAnti: new Map(), affinity: pod.requiredAffinity.map(() => new Map()), anti: pod.requiredAntiAffinity.map(() => new Map()), noAffinityMatches: true };
    const hasOwnTerms = pod.requiredAffinity.length > 0 || pod.requiredAntiAffinity.length > 0;
    let anyExistingAnti = false;
    for (const n of nodes) {
      const labels = n.labels();
      for (const existing of n.podsWithRequiredAntiAffinity) {
        for (const t of existing.requiredAntiAffinity) {
          const v = labels[t.topologyKey];
          if (v !== undefined && termMatches(t, pod.pod)) {
            bump(s.existingAnti, pair(t.topologyKey, v));
            anyExistingAnti = true;
          }
        }
      }
      if (hasOwnTerms) this.countOwnTerms(s, pod, n, labels);
    }
    if (!hasOwnTerms && !anyExistingAnti) return skip();
    state.write(this.name, s);
    return success();
  }

  filter(state: CycleState, pod: PodInfo, node: NodeInfo): Status {
    const s = state.read<AffinityState>(this.name);
    if (!s) return success();
    const labels = node.labels();
    for (const [k, v] of Object.entries(labels)) {
      if (s.existingAnti.has(pair(k, v))) return unschedulable("node(s) didn't satisfy existing pods anti-affinity rules");
    }
    if (!this.affinityHolds(s, pod, labels)) return unresolvable("node(s) didn't match pod affinity rules");
    for (let i = 0; i < pod.requiredAntiAffinity.length; i++) {
      const t = pod.requiredAntiAffinity[i] as AffinityTerm;
      const v = labels[t.topologyKey];
      if (v !== undefined && (s.anti[i]?.get(pair(t.topologyKey, v)) ?? 0) > 0) return unschedulable("node(s) didn't match pod anti-affinity rules");
    }
    return success();
  }

  private countOwnTerms(s: AffinityState, pod: PodInfo, n: NodeInfo, labels: Record<string, string>): void {
    for (const existing of n.pods.values()) {
      if (existing.key === pod.key) continue;
      pod.requiredAffinity.forEach((t, i) => {
        const v = labels[t.topologyKey];
        if (v !== undefined && termMatches(t, existing.pod)) {
          bump(s.affinity[i] as TopologyCounts, pair(t.topologyKey, v));
          s.noAffinityMatches = false;
        }
      });
      pod.requiredAntiAffinity.forEach((t, i) => {
        const v = labels[t.topologyKey];
        if (v !== undefined && termMatches(t, existing.pod)) bump(s.anti[i] as TopologyCounts, pair(t.topologyKey, v));
      });
    }
  }

  private affinityHolds(s: AffinityState, pod: PodInfo, labels: Record<string, string>): boolean {
    if (pod.requiredAffinity.length === 0) return true;
    // Upstream special case: no pod matches yet, and the pod matches its own terms → it may start the group.
    if (s.noAffinityMatches && pod.requiredAffinity.every((t) => termMatches(t, pod.pod))) {
      return pod.requiredAffinity.every((t) => labels[t.topologyKey] !== undefined);
    }
    return pod.requiredAffinity.every((t, i) => {
      const v = labels[t.topologyKey];
      return v !== undefined && (s.affinity[i]?.get(pair(t.topologyKey, v)) ?? 0) > 0;
    });
  }
}

import type { Pod, PodAffinityTerm } from 'kubernetes-types/core/v1.js';
import { labelSelectorFromObject, type LabelSelector } from '../../api/selectors/label-selector.ts';
import { podRequests, type ResourceAmounts } from '../helpers/resources.ts';

/** A required pod (anti-)affinity term with its selector parsed once. */
export interface AffinityTerm {
  topologyKey: string;
  /** Namespaces the term looks in; undefined with `allNamespaces` false means the pod's own. */
  namespaces: ReadonlySet<string>;
  allNamespaces: boolean;
  /** Null when the term has no selector: it then matches no pod (upstream). */
  selector: LabelSelector | null;
}

/**
 * A pod with what the scheduler reads from it over and over, computed once: its key, priority,
 * requests and parsed affinity terms. The pod object is shared with the informer cache: read only.
 */
export interface PodInfo {
  readonly pod: Pod;
  readonly key: string;
  readonly priority: number;
  readonly requests: ResourceAmounts;
  /** Requests with upstream's non-zero defaults, for scoring. */
  readonly nonZeroRequests: ResourceAmounts;
  readonly requiredAffinity: readonly AffinityTerm[];
  readonly requiredAntiAffinity: readonly AffinityTerm[];
}

function parseTerms(pod: Pod, terms: PodAffinityTerm[] | undefined): AffinityTerm[] {
  const ns = pod.metadata?.namespace ?? 'default';
  return (terms ?? []).map((t) => ({
    topologyKey: t.topologyKey,
    namespaces: new Set(t.namespaces?.length ? t.namespaces : [ns]),
    // An empty namespaceSelector ({}) selects every namespace; label-based ones are not supported yet.
    allNamespaces: t.namespaceSelector !== undefined && Object.keys(t.namespaceSelector).length === 0,
    selector: t.labelSelector ? labelSelectorFromObject(t.labelSelector) : null,
  }));
}

export function podKey(pod: Pod): string {
  return `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
}

export function newPodInfo(pod: Pod): PodInfo {
  const affinity = pod.spec?.affinity;
  return {
    pod,
    key: podKey(pod),
    priority: pod.spec?.priority ?? 0,
    requests: podRequests(pod),
    nonZeroRequests: podRequests(pod, true),
    requiredAffinity: parseTerms(pod, affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution),
    requiredAntiAffinity: parseTerms(pod, affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution),
  };
}

/** Whether `term` (declared by a pod) selects `target`. */
export function termMatches(term: AffinityTerm, target: Pod): boolean {
  const ns = target.metadata?.namespace ?? 'default';
  if (!term.allNamespaces && !term.namespaces.has(ns)) return false;
  return term.selector?.matches(target.metadata?.labels) ?? false;
}

import type { Pod, ResourceQuota, ScopedResourceSelectorRequirement } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../types.ts';
import type { QuotaResource } from './resource-usage.ts';

/** Every scope requirement of a quota: `spec.scopes` as Exists terms plus `spec.scopeSelector`. */
export function scopeRequirements(quota: ResourceQuota): ScopedResourceSelectorRequirement[] {
  const fromScopes = (quota.spec?.scopes ?? []).map((scopeName) => ({ scopeName, operator: 'Exists' }));
  return [...fromScopes, ...(quota.spec?.scopeSelector?.matchExpressions ?? [])];
}

/**
 * True when `quota` tracks `obj` (upstream's evaluator Matches): unscoped quotas track every object
 * of their namespace; scopes only select pods.
 */
export function quotaSelects(quota: ResourceQuota, r: QuotaResource, obj: KubeObject): boolean {
  const requirements = scopeRequirements(quota);
  if (requirements.length === 0) return true;
  if (r.group !== '' || r.resource !== 'pods') return false;
  return requirements.every((req) => podMatchesScope(obj as Pod, req));
}

function podMatchesScope(pod: Pod, req: ScopedResourceSelectorRequirement): boolean {
  switch (req.scopeName) {
    case 'Terminating':
      return (pod.spec?.activeDeadlineSeconds ?? -1) >= 0;
    case 'NotTerminating':
      return pod.spec?.activeDeadlineSeconds === undefined || pod.spec.activeDeadlineSeconds === null;
    case 'BestEffort':
      return isBestEffort(pod);
    case 'NotBestEffort':
      return !isBestEffort(pod);
    case 'PriorityClass':
      return matchesValue(pod.spec?.priorityClassName ?? '', req);
    case 'CrossNamespacePodAffinity':
      return usesCrossNamespaceAffinity(pod);
    default:
      return false;
  }
}

function matchesValue(value: string, req: ScopedResourceSelectorRequirement): boolean {
  switch (req.operator) {
    case 'In':
      return (req.values ?? []).includes(value);
    case 'NotIn':
      return !(req.values ?? []).includes(value);
    case 'Exists':
      return value !== '';
    case 'DoesNotExist':
      return value === '';
    default:
      return false;
  }
}

/** BestEffort QoS: no container states any request or limit. */
export function isBestEffort(pod: Pod): boolean {
  const containers = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  return containers.every((c) => Object.keys(c.resources?.requests ?? {}).length === 0 && Object.keys(c.resources?.limits ?? {}).length === 0);
}

function usesCrossNamespaceAffinity(pod: Pod): boolean {
  const affinity = pod.spec?.affinity;
  const terms = [
    ...(affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []),
    ...(affinity?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((w) => w.podAffinityTerm),
    ...(affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []),
    ...(affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((w) => w.podAffinityTerm),
  ];
  return terms.some((t) => (t.namespaces ?? []).length > 0 || t.namespaceSelector !== undefined);
}

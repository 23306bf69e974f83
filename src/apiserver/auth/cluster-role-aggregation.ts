import type { ClusterRole, PolicyRule } from 'kubernetes-types/rbac/v1.js';
import { labelSelectorMatches } from '../../api/selectors/label-selector.ts';

/**
 * ClusterRole name → effective rules. A role with an aggregationRule also gets the (effective) rules of every
 * ClusterRole its selectors match, transitively — the result upstream's aggregation controller converges to
 * (`view` → `edit` → `admin`) — so the authorizer is right even before, or without, such a controller.
 */
export function effectiveClusterRoleRules(roles: ClusterRole[]): Map<string, PolicyRule[]> {
  const byName = new Map(roles.map((role) => [role.metadata?.name ?? '', role]));
  const resolved = new Map<string, PolicyRule[]>();
  const resolving = new Set<string>();

  const resolve = (role: ClusterRole): PolicyRule[] => {
    const name = role.metadata?.name ?? '';
    const done = resolved.get(name);
    if (done) return done;
    // A selector cycle contributes nothing more than what is already being collected.
    if (resolving.has(name)) return role.rules ?? [];
    resolving.add(name);
    const rules = [...(role.rules ?? []), ...aggregatedSources(role, roles).flatMap(resolve)];
    resolving.delete(name);
    const result = dedupe(rules);
    resolved.set(name, result);
    return result;
  };

  for (const role of byName.values()) resolve(role);
  return resolved;
}

function aggregatedSources(role: ClusterRole, all: ClusterRole[]): ClusterRole[] {
  const selectors = role.aggregationRule?.clusterRoleSelectors ?? [];
  if (selectors.length === 0) return [];
  return all.filter((other) => other !== role && selectors.some((s) => labelSelectorMatches(s, other.metadata?.labels ?? {})));
}

/** Aggregation repeats rules (a role's own copy plus its sources'); keep the first of identical ones. */
function dedupe(rules: PolicyRule[]): PolicyRule[] {
  const seen = new Set<string>();
  return rules.filter((rule) => {
    const key = JSON.stringify([rule.verbs, rule.apiGroups, rule.resources, rule.resourceNames, rule.nonResourceURLs]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

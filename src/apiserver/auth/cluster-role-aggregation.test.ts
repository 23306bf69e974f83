import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ClusterRole } from 'kubernetes-types/rbac/v1.js';
import { effectiveClusterRoleRules } from './cluster-role-aggregation.ts';

const role = (name: string, labels: Record<string, string>, resources: string[], aggregates?: string): ClusterRole => ({
  metadata: { name, labels },
  rules: resources.map((r) => ({ apiGroups: [''], resources: [r], verbs: ['get'] })),
  ...(aggregates ? { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [aggregates]: 'true' } }] } } : {}),
});

const resourcesOf = (rules: Map<string, { resources?: string[] }[]>, name: string) => (rules.get(name) ?? []).flatMap((r) => r.resources ?? []).sort();

void describe('effectiveClusterRoleRules', () => {
  void it('aggregates transitively and drops duplicate rules', () => {
    const rules = effectiveClusterRoleRules([
      role('top', {}, ['a'], 'to-top'),
      role('middle', { 'to-top': 'true' }, ['a', 'b'], 'to-middle'),
      role('leaf', { 'to-middle': 'true' }, ['c']),
    ]);
    assert.deepEqual(resourcesOf(rules, 'top'), ['a', 'b', 'c']);
    assert.deepEqual(resourcesOf(rules, 'middle'), ['a', 'b', 'c']);
    assert.deepEqual(resourcesOf(rules, 'leaf'), ['c']);
  });

  void it('terminates on selector cycles', () => {
    const rules = effectiveClusterRoleRules([role('x', { 'to-y': 'true' }, ['x'], 'to-x'), role('y', { 'to-x': 'true' }, ['y'], 'to-y')]);
    assert.deepEqual(resourcesOf(rules, 'x'), ['x', 'y']);
    assert.deepEqual(resourcesOf(rules, 'y'), ['x', 'y']);
  });

  void it('matches selectors with expressions', () => {
    const selecting: ClusterRole = { metadata: { name: 's' }, aggregationRule: { clusterRoleSelectors: [{ matchExpressions: [{ key: 'tier', operator: 'In', values: ['gold'] }] }] } };
    const rules = effectiveClusterRoleRules([selecting, role('g', { tier: 'gold' }, ['g']), role('b', { tier: 'bronze' }, ['b'])]);
    assert.deepEqual(resourcesOf(rules, 's'), ['g']);
  });
});

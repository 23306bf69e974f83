import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../types.ts';
import { recordUpdate } from './managed-fields.ts';
import { applyConfiguration, conflictCauses, conflictMessage, type ApplyOptions, type ApplyResult } from './server-side-apply.ts';
import { deploymentSchema, testSchemas } from './test-schemas.ts';

const base = { apiVersion: 'apps/v1', schema: deploymentSchema, schemas: testSchemas, force: false, now: '2026-11-22T01:00:00Z' };

function config(spec: Record<string, unknown>, labels: Record<string, string> = { app: 'web' }): KubeObject {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default', labels }, spec };
}
const containers = (...list: unknown[]): Record<string, unknown> => ({ template: { spec: { containers: list } } });

function apply(opts: Partial<ApplyOptions> & Pick<ApplyOptions, 'live' | 'config'>): ApplyResult {
  return applyConfiguration({ ...base, manager: 'kubectl', ...opts });
}
function applied(result: ApplyResult): KubeObject {
  assert.ok('object' in result, `unexpected conflicts: ${JSON.stringify(result)}`);
  return result.object;
}
const specOf = (obj: KubeObject): Record<string, unknown> => obj.spec as Record<string, unknown>;

void describe('applyConfiguration', () => {
  void it('creates from the configuration with one Apply entry', () => {
    const created = applied(apply({ live: undefined, config: config({ replicas: 2, ...containers({ name: 'nginx', image: 'nginx' }) }) }));
    assert.equal(specOf(created).replicas, 2);
    assert.deepEqual(created.metadata?.managedFields, [
      {
        manager: 'kubectl',
        operation: 'Apply',
        apiVersion: 'apps/v1',
        time: base.now,
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:labels': { 'f:app': {} } },
          'f:spec': { 'f:replicas': {}, 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"nginx"}': { '.': {}, 'f:image': {}, 'f:name': {} } } } } },
        },
      },
    ]);
  });

  void it('merges list-map items by key and keeps fields it does not mention', () => {
    const live = applied(apply({ live: undefined, config: config(containers({ name: 'nginx', image: 'a' })) }));
    (specOf(live).template as { spec: { containers: Array<Record<string, unknown>> } }).spec.containers[0]!.terminationMessagePath = '/dev/x';
    const next = applied(apply({ live, config: config(containers({ name: 'nginx', image: 'b' }, { name: 'side', image: 's' })) }));
    assert.deepEqual((specOf(next).template as { spec: unknown }).spec, {
      containers: [{ name: 'nginx', image: 'b', terminationMessagePath: '/dev/x' }, { name: 'side', image: 's' }],
    });
  });

  void it('removes fields and items the manager stopped applying', () => {
    const live = applied(apply({ live: undefined, config: config({ replicas: 2, paused: true, ...containers({ name: 'a', image: 'a' }, { name: 'b', image: 'b' }) }, { app: 'web', tier: 'x' }) }));
    const next = applied(apply({ live, config: config({ replicas: 2, ...containers({ name: 'a', image: 'a' }) }) }));
    assert.equal('paused' in specOf(next), false);
    assert.deepEqual(next.metadata?.labels, { app: 'web' });
    assert.deepEqual((specOf(next).template as { spec: unknown }).spec, { containers: [{ name: 'a', image: 'a' }] });
  });

  void it('keeps a dropped field that another manager also owns', () => {
    const live = applied(apply({ live: undefined, config: config({ replicas: 2, paused: true }) }));
    const shared = applied(apply({ live, manager: 'other', config: config({ paused: true }) }));
    const next = applied(apply({ live: shared, config: config({ replicas: 2 }) }));
    assert.equal(specOf(next).paused, true);
    assert.deepEqual(next.metadata?.managedFields?.map((e) => e.manager), ['kubectl', 'other']);
  });

  void it('conflicts with an Update manager owning a field with a different value', () => {
    const created = recordUpdate({ ...base, manager: 'kubectl-client-side-apply', old: undefined, updated: config({ replicas: 1 }) });
    const result = apply({ live: created, config: config({ replicas: 3 }) });
    assert.ok('conflicts' in result);
    assert.deepEqual(result.conflicts, [{ manager: 'kubectl-client-side-apply', field: '.spec.replicas', operation: 'Update', apiVersion: 'apps/v1' }]);
    assert.equal(conflictMessage(result.conflicts), 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas');
    assert.deepEqual(conflictCauses(result.conflicts), [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl-client-side-apply" using apps/v1', field: '.spec.replicas' }]);
  });

  void it('shares ownership without conflict when the value is the same', () => {
    const created = recordUpdate({ ...base, manager: 'kubectl-client-side-apply', old: undefined, updated: config({ replicas: 1 }) });
    const next = applied(apply({ live: created, config: config({ replicas: 1 }) }));
    assert.deepEqual(next.metadata?.managedFields?.map((e) => `${e.manager}/${e.operation}`), ['kubectl/Apply', 'kubectl-client-side-apply/Update']);
  });

  void it('with force takes ownership away from the other manager', () => {
    const created = applied(apply({ live: undefined, manager: 'ci', config: config({ replicas: 1 }, {}) }));
    const result = apply({ live: created, force: true, config: config({ replicas: 4 }, {}) });
    const next = applied(result);
    assert.equal(specOf(next).replicas, 4);
    const owners = next.metadata?.managedFields?.map((e) => [e.manager, Object.keys(e.fieldsV1 ?? {})]);
    assert.deepEqual(owners, [['ci', ['f:metadata']], ['kubectl', ['f:metadata', 'f:spec']]]);
  });

  void it('unions set lists and replaces atomic maps', () => {
    const live = applied(apply({ live: undefined, manager: 'a', config: { ...config({ selector: { matchLabels: { app: 'web', x: '1' } } }), metadata: { name: 'web', finalizers: ['one'] } } }));
    const next = applied(apply({ live, manager: 'b', config: { ...config({}), metadata: { name: 'web', finalizers: ['two'] } } }));
    assert.deepEqual(next.metadata?.finalizers, ['one', 'two']);
    const conflict = apply({ live, manager: 'b', config: config({ selector: { matchLabels: { app: 'web' } } }) });
    assert.ok('conflicts' in conflict);
    assert.deepEqual(conflict.conflicts.map((c) => c.field), ['.spec.selector']);
  });

  void it('prints several conflicts grouped by manager', () => {
    const conflicts = [
      { manager: 'x', field: '.spec.replicas', operation: 'Update' as const, apiVersion: 'apps/v1' },
      { manager: 'x', field: '.spec.paused', operation: 'Update' as const, apiVersion: 'apps/v1' },
      { manager: 'a', field: '.metadata.labels.app', operation: 'Apply' as const, apiVersion: 'apps/v1' },
    ];
    assert.equal(
      conflictMessage(conflicts),
      'Apply failed with 3 conflicts: conflicts with "a":\n- .metadata.labels.app\nconflicts with "x" using apps/v1:\n- .spec.replicas\n- .spec.paused',
    );
  });

  void it('keeps the entry time on a no-op re-apply and refreshes it on change', () => {
    const cfg = config({ replicas: 2 });
    const created = applied(apply({ live: undefined, config: cfg }));
    const same = applied(apply({ live: created, config: cfg, now: '2026-11-22T05:00:00Z' }));
    assert.equal(same.metadata?.managedFields?.[0]?.time, base.now);
    assert.deepEqual(same, created);
    const changed = applied(apply({ live: created, config: config({ replicas: 3 }), now: '2026-11-22T05:00:00Z' }));
    assert.equal(changed.metadata?.managedFields?.[0]?.time, '2026-11-22T05:00:00Z');
  });

  void it('removes a whole struct when its last applied field goes away', () => {
    const live = applied(apply({ live: undefined, config: config({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } }) }));
    const next = applied(apply({ live, config: config({ strategy: { type: 'RollingUpdate' } }) }));
    assert.deepEqual(specOf(next).strategy, { type: 'RollingUpdate' });
    const gone = applied(apply({ live: next, config: config({ replicas: 1 }) }));
    assert.equal('strategy' in specOf(gone), false);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromFieldsV1, pathString, toFieldsV1 } from './field-set.ts';
import { fieldSetOf } from './field-values.ts';
import { recordUpdate } from './managed-fields.ts';
import { deploymentSchema, testSchemas } from './test-schemas.ts';
import type { KubeObject } from '../types.ts';

const web: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default', uid: 'u1', resourceVersion: '5', labels: { app: 'web' }, finalizers: ['f1'] },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    template: { spec: { containers: [{ name: 'nginx', image: 'nginx', ports: [{ containerPort: 80 }] }] } },
  },
};

void describe('fieldSetOf / FieldsV1', () => {
  void it('produces the FieldsV1 wire form kube-apiserver writes', () => {
    const set = fieldSetOf(web, deploymentSchema, testSchemas);
    assert.deepEqual(toFieldsV1(set), {
      'f:apiVersion': {},
      'f:kind': {},
      'f:metadata': {
        'f:finalizers': { 'v:"f1"': {} },
        'f:labels': { 'f:app': {} },
        'f:name': {},
        'f:namespace': {},
        'f:resourceVersion': {},
        'f:uid': {},
      },
      'f:spec': {
        'f:replicas': {},
        'f:selector': {},
        'f:template': {
          'f:spec': {
            'f:containers': {
              'k:{"name":"nginx"}': {
                '.': {},
                'f:image': {},
                'f:name': {},
                'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
              },
            },
          },
        },
      },
    });
  });

  void it('round-trips through fromFieldsV1', () => {
    const set = fieldSetOf(web, deploymentSchema, testSchemas);
    assert.deepEqual(fromFieldsV1(toFieldsV1(set)), set);
  });

  void it('prints paths like structured-merge-diff', () => {
    const key = JSON.stringify(['f:spec', 'f:containers', 'k:{"name":"nginx"}', 'f:ports', 'k:{"containerPort":80,"protocol":"TCP"}']);
    assert.equal(pathString(key), '.spec.containers[name="nginx"].ports[containerPort=80,protocol="TCP"]');
    assert.equal(pathString(JSON.stringify(['f:metadata', 'f:finalizers', 'v:"a"'])), '.metadata.finalizers[="a"]');
  });

  void it('treats lists without metadata and unknown fields as atomic', () => {
    const set = fieldSetOf({ spec: { template: { spec: { containers: [{ name: 'a', args: ['x'] }] } } }, extra: { list: [1], m: { k: 1 } } }, deploymentSchema, testSchemas);
    assert.deepEqual(toFieldsV1(set), {
      'f:extra': { '.': {}, 'f:list': {}, 'f:m': { '.': {}, 'f:k': {} } },
      'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"a"}': { '.': {}, 'f:args': {}, 'f:name': {} } } } } },
    });
  });
});

void describe('recordUpdate', () => {
  const now = '2026-11-22T01:00:00Z';
  const opts = { manager: 'kubectl-client-side-apply', apiVersion: 'apps/v1', schema: deploymentSchema, schemas: testSchemas, now };

  void it('on create owns every set field except server-owned metadata', () => {
    const created = recordUpdate({ ...opts, old: undefined, updated: web });
    const [entry, ...rest] = created.metadata?.managedFields ?? [];
    assert.equal(rest.length, 0);
    assert.deepEqual({ ...entry, fieldsV1: undefined }, { manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: 'apps/v1', time: now, fieldsType: 'FieldsV1', fieldsV1: undefined });
    const metadata = (entry?.fieldsV1 as Record<string, Record<string, unknown>>)['f:metadata'];
    assert.deepEqual(Object.keys(metadata ?? {}), ['f:finalizers', 'f:labels']);
    assert.equal('f:apiVersion' in (entry?.fieldsV1 ?? {}), false);
  });

  void it('moves changed fields to the updating manager and drops emptied entries', () => {
    const created = recordUpdate({ ...opts, old: undefined, updated: web });
    const scaled = structuredClone(created);
    (scaled.spec as { replicas: number }).replicas = 5;
    const after = recordUpdate({ ...opts, manager: 'kubectl-scale', now: '2026-11-22T02:00:00Z', old: created, updated: scaled });
    const entries = after.metadata?.managedFields ?? [];
    assert.deepEqual(entries.map((e) => e.manager), ['kubectl-client-side-apply', 'kubectl-scale']);
    assert.deepEqual(entries[1]?.fieldsV1, { 'f:spec': { 'f:replicas': {} } });
    assert.equal('f:replicas' in ((entries[0]?.fieldsV1 as Record<string, Record<string, unknown>>)['f:spec'] ?? {}), false);

    const again = structuredClone(after);
    (again.spec as { replicas: number }).replicas = 6;
    const owner = recordUpdate({ ...opts, old: after, updated: again });
    assert.deepEqual(owner.metadata?.managedFields?.map((e) => e.manager), ['kubectl-client-side-apply']);
  });

  void it('removes deleted fields from every manager and keeps entries unchanged on a no-op', () => {
    const created = recordUpdate({ ...opts, old: undefined, updated: web });
    const same = recordUpdate({ ...opts, manager: 'other', old: created, updated: structuredClone(created) });
    assert.deepEqual(same.metadata?.managedFields, created.metadata?.managedFields);
    const trimmed = structuredClone(created);
    delete trimmed.metadata?.labels;
    const after = recordUpdate({ ...opts, manager: 'other', old: created, updated: trimmed });
    const metadata = (after.metadata?.managedFields?.[0]?.fieldsV1 as Record<string, Record<string, unknown>>)['f:metadata'];
    assert.deepEqual(Object.keys(metadata ?? {}), ['f:finalizers']);
  });

  void it('resets ownership when the update sends managedFields: []', () => {
    const created = recordUpdate({ ...opts, old: undefined, updated: web });
    const reset = structuredClone(created);
    reset.metadata = { ...reset.metadata, managedFields: [] };
    const after = recordUpdate({ ...opts, manager: 'other', old: created, updated: reset });
    assert.equal(after.metadata?.managedFields, undefined);
  });
});

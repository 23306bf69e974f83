import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateBuiltinDefinitions } from './generator/generate-definitions.ts';
import { applyPatchMetadata, FIELD_METADATA } from './patch-metadata.ts';

const raw = generateBuiltinDefinitions();
const defs = applyPatchMetadata(raw);
const prop = (def: string, field: string) => defs[def]?.properties?.[field];

test('containers merge by name for SMP and are a map for apply', () => {
  const containers = prop('io.k8s.api.core.v1.PodSpec', 'containers');
  assert.equal(containers?.['x-kubernetes-patch-strategy'], 'merge');
  assert.equal(containers?.['x-kubernetes-patch-merge-key'], 'name');
  assert.equal(containers?.['x-kubernetes-list-type'], 'map');
  assert.deepEqual(containers?.['x-kubernetes-list-map-keys'], ['name']);
  assert.ok(containers?.items?.$ref, 'keeps the original schema');
});

test('retainKeys on Deployment strategy and pod volumes; sets and composite keys', () => {
  assert.equal(prop('io.k8s.api.apps.v1.DeploymentSpec', 'strategy')?.['x-kubernetes-patch-strategy'], 'retainKeys');
  assert.equal(prop('io.k8s.api.core.v1.PodSpec', 'volumes')?.['x-kubernetes-patch-strategy'], 'merge,retainKeys');
  assert.equal(prop('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', 'finalizers')?.['x-kubernetes-list-type'], 'set');
  assert.equal(prop('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', 'ownerReferences')?.['x-kubernetes-patch-merge-key'], 'uid');
  assert.deepEqual(prop('io.k8s.api.core.v1.Container', 'ports')?.['x-kubernetes-list-map-keys'], ['containerPort', 'protocol']);
  assert.deepEqual(prop('io.k8s.api.core.v1.ServiceSpec', 'ports')?.['x-kubernetes-list-map-keys'], ['port', 'protocol']);
  assert.equal(prop('io.k8s.api.core.v1.PodSpec', 'hostAliases')?.['x-kubernetes-patch-merge-key'], 'ip');
  assert.equal(defs['io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector']?.['x-kubernetes-map-type'], 'atomic');
});

test('every table entry names a real list or struct field', () => {
  for (const [def, fields] of Object.entries(FIELD_METADATA)) {
    for (const field of Object.keys(fields)) assert.ok(raw[def]?.properties?.[field], `${def}.${field}`);
  }
});

test('does not modify its input', () => {
  assert.equal(raw['io.k8s.api.core.v1.PodSpec']?.properties?.containers?.['x-kubernetes-patch-strategy'], undefined);
});

test('a typo in the table is an error', () => {
  assert.throws(() => applyPatchMetadata({}), /no definition/);
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dns1123Label, pathSegmentName } from './name-rules.ts';
import { TOTAL_ANNOTATION_SIZE_LIMIT, validateObjectMeta, validateObjectMetaUpdate } from './object-meta.ts';
import { summarize } from './test-builders.ts';

const namespaced = { namespaced: true };

describe('validateObjectMeta', () => {
  it('accepts a plain namespaced object', () => {
    assert.deepEqual(validateObjectMeta({ name: 'web', namespace: 'default', labels: { app: 'web' } }, namespaced), []);
  });

  it('requires a name or generateName', () => {
    const [err] = validateObjectMeta({ namespace: 'default' }, namespaced);
    assert.deepEqual(err, { field: 'metadata.name', type: 'FieldValueRequired', detail: 'name or generateName is required' });
    assert.deepEqual(validateObjectMeta({ generateName: 'web-', namespace: 'default' }, namespaced), []);
  });

  it('applies the kind name rule to name and generateName', () => {
    assert.deepEqual(summarize(validateObjectMeta({ name: 'Web', namespace: 'default' }, namespaced)), ['metadata.name FieldValueInvalid']);
    assert.deepEqual(summarize(validateObjectMeta({ generateName: 'Web-', namespace: 'd' }, namespaced)), ['metadata.generateName FieldValueInvalid']);
    assert.deepEqual(validateObjectMeta({ name: 'system:admin' }, { namespaced: false, nameRule: pathSegmentName }), []);
    assert.equal(validateObjectMeta({ name: 'a.b' }, { namespaced: false, nameRule: dns1123Label }).length, 1);
  });

  it('requires a namespace for namespaced kinds and forbids it otherwise', () => {
    assert.deepEqual(summarize(validateObjectMeta({ name: 'web' }, namespaced)), ['metadata.namespace FieldValueRequired']);
    const [err] = validateObjectMeta({ name: 'node-1', namespace: 'default' }, { namespaced: false });
    assert.deepEqual(err, { field: 'metadata.namespace', type: 'FieldValueForbidden', detail: 'not allowed on this type' });
  });

  it('checks label keys and values', () => {
    const errs = validateObjectMeta({ name: 'web', namespace: 'd', labels: { 'bad key': 'x', ok: '-bad' } }, namespaced);
    assert.deepEqual(errs.map((e) => [e.field, e.value]), [['metadata.labels', 'bad key'], ['metadata.labels', '-bad']]);
  });

  it('limits total annotation size', () => {
    const big = { note: 'x'.repeat(TOTAL_ANNOTATION_SIZE_LIMIT) };
    assert.deepEqual(summarize(validateObjectMeta({ name: 'web', namespace: 'd', annotations: big }, namespaced)), ['metadata.annotations FieldValueTooLong']);
  });

  it('checks owner references and allows one controller', () => {
    const ref = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u1', controller: true };
    const errs = validateObjectMeta({ name: 'p', namespace: 'd', ownerReferences: [ref, { ...ref, uid: 'u2' }, { apiVersion: 'v1', kind: '', name: 'x', uid: 'u3' }] }, namespaced);
    assert.deepEqual(summarize(errs), ['metadata.ownerReferences.kind FieldValueInvalid', 'metadata.ownerReferences FieldValueInvalid']);
    assert.match(errs[1]?.detail ?? '', /^Only one reference can have Controller set to true/);
  });

  it('checks finalizer names', () => {
    assert.equal(validateObjectMeta({ name: 'p', namespace: 'd', finalizers: ['example.com/cleanup', 'bad name'] }, namespaced).length, 1);
  });
});

describe('validateObjectMetaUpdate', () => {
  const old = { name: 'web', namespace: 'default', uid: 'u1', creationTimestamp: '2024-01-01T00:00:00Z' };

  it('allows label changes and omitted system fields', () => {
    assert.deepEqual(validateObjectMetaUpdate({ name: 'web', namespace: 'default', labels: { a: 'b' } }, old, namespaced), []);
  });

  it('reports immutable name, namespace and uid', () => {
    const errs = validateObjectMetaUpdate({ name: 'other', namespace: 'kube-system', uid: 'u2' }, old, namespaced);
    assert.deepEqual(summarize(errs), ['metadata.name FieldValueInvalid', 'metadata.namespace FieldValueInvalid', 'metadata.uid FieldValueInvalid']);
    assert.equal(errs[0]?.detail, 'field is immutable');
  });

  it('forbids new finalizers while deleting', () => {
    const deleting = { ...old, deletionTimestamp: '2024-01-02T00:00:00Z', finalizers: ['a.io/x'] };
    assert.deepEqual(validateObjectMetaUpdate({ ...deleting }, deleting, namespaced), []);
    assert.deepEqual(summarize(validateObjectMetaUpdate({ ...deleting, finalizers: ['a.io/x', 'a.io/y'] }, deleting, namespaced)), ['metadata.finalizers FieldValueForbidden']);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validatePersistentVolume, validatePersistentVolumeClaim } from './persistent-volume-validation.ts';
import { object, summarize } from './test-builders.ts';

const claim = (spec: Record<string, unknown>) => object('v1', 'PersistentVolumeClaim', 'data', { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...spec } });

describe('persistent volumes and claims', () => {
  it('requires access modes and a storage request on claims', () => {
    assert.deepEqual(validatePersistentVolumeClaim(claim({})), []);
    assert.deepEqual(summarize(validatePersistentVolumeClaim(claim({ accessModes: [], resources: {} }))), ['spec.accessModes FieldValueRequired', 'spec.resources[storage] FieldValueRequired']);
    assert.deepEqual(summarize(validatePersistentVolumeClaim(claim({ accessModes: ['ReadSometimes'] }))), ['spec.accessModes FieldValueNotSupported']);
  });

  it('allows only storage growth on claim updates', () => {
    const old = claim({});
    assert.deepEqual(validatePersistentVolumeClaim(claim({ resources: { requests: { storage: '2Gi' } } }), old), []);
    assert.deepEqual(summarize(validatePersistentVolumeClaim(claim({ resources: { requests: { storage: '512Mi' } } }), old)), ['spec.resources.requests.storage FieldValueForbidden']);
    assert.deepEqual(summarize(validatePersistentVolumeClaim(claim({ accessModes: ['ReadWriteMany'] }), old)), ['spec FieldValueForbidden']);
  });

  it('requires capacity, access modes and exactly one source on volumes', () => {
    const pv = (spec: Record<string, unknown>) => object('v1', 'PersistentVolume', 'pv1', { spec }, undefined);
    assert.deepEqual(validatePersistentVolume(pv({ capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/data' } })), []);
    assert.deepEqual(summarize(validatePersistentVolume(pv({}))), ['spec.accessModes FieldValueRequired', 'spec.capacity FieldValueRequired', 'spec FieldValueRequired']);
  });
});

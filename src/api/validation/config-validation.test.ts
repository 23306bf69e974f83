import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_DATA_SIZE, validateConfigMap, validateSecret } from './config-validation.ts';
import { object, summarize } from './test-builders.ts';

const b64 = (s: string): string => Buffer.from(s).toString('base64');

describe('validateConfigMap', () => {
  it('checks keys and duplicate binary keys', () => {
    const cm = object('v1', 'ConfigMap', 'c', { data: { 'app.conf': 'x', 'bad/key': 'y' }, binaryData: { 'app.conf': b64('z') } });
    assert.deepEqual(summarize(validateConfigMap(cm)), ['data[bad/key] FieldValueInvalid', 'binaryData[app.conf] FieldValueInvalid']);
  });

  it('limits total size to 1 MiB', () => {
    const cm = object('v1', 'ConfigMap', 'c', { data: { big: 'x'.repeat(MAX_DATA_SIZE + 1) } });
    assert.deepEqual(summarize(validateConfigMap(cm)), ['[] FieldValueTooLong']);
  });

  it('honours immutable on update', () => {
    const old = object('v1', 'ConfigMap', 'c', { data: { a: '1' }, immutable: true });
    assert.deepEqual(validateConfigMap(object('v1', 'ConfigMap', 'c', { data: { a: '1' }, immutable: true }), old), []);
    assert.deepEqual(summarize(validateConfigMap(object('v1', 'ConfigMap', 'c', { data: { a: '2' } }), old)), ['immutable FieldValueForbidden', 'data FieldValueForbidden']);
  });
});

describe('validateSecret', () => {
  it('requires type-specific keys', () => {
    const tls = object('v1', 'Secret', 's', { type: 'kubernetes.io/tls', data: { 'tls.crt': b64('c') } });
    assert.deepEqual(summarize(validateSecret(tls)), ['data[tls.key] FieldValueRequired']);
    const sa = object('v1', 'Secret', 's', { type: 'kubernetes.io/service-account-token' });
    assert.deepEqual(summarize(validateSecret(sa)), ['metadata.annotations[kubernetes.io/service-account.name] FieldValueRequired']);
    assert.deepEqual(validateSecret(object('v1', 'Secret', 's', { type: 'kubernetes.io/basic-auth', data: { username: b64('u') } })), []);
  });

  it('counts decoded bytes toward the size limit', () => {
    const secret = object('v1', 'Secret', 's', { data: { big: Buffer.alloc(MAX_DATA_SIZE + 1).toString('base64') } });
    assert.deepEqual(summarize(validateSecret(secret)), ['data FieldValueTooLong']);
  });

  it('keeps type immutable', () => {
    const old = object('v1', 'Secret', 's', { type: 'Opaque' });
    assert.deepEqual(summarize(validateSecret(object('v1', 'Secret', 's', { type: 'kubernetes.io/ssh-auth', data: { 'ssh-privatekey': b64('k') } }), old)), ['type FieldValueInvalid']);
  });
});

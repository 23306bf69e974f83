import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeProtobufObject, isProtobufContentType } from './decode.ts';
import { ProtobufDecodeError } from './errors.ts';
import { bytesField, envelope, stringField, varintField } from './testing/wire-writer.ts';

const cat = (...parts: Buffer[]) => Buffer.concat(parts);
const meta = (name: string) => bytesField(1, cat(stringField(1, name), stringField(2, ''), varintField(7, 0), bytesField(8, Buffer.alloc(0))));

function decodeFailure(body: Buffer): ProtobufDecodeError {
  try {
    decodeProtobufObject(body);
  } catch (err) {
    assert.ok(err instanceof ProtobufDecodeError, `expected ProtobufDecodeError, got ${String(err)}`);
    return err;
  }
  assert.fail('decoding should have failed');
}

describe('isProtobufContentType', () => {
  it('accepts the Kubernetes protobuf media type with or without parameters', () => {
    assert.equal(isProtobufContentType('application/vnd.kubernetes.protobuf'), true);
    assert.equal(isProtobufContentType('Application/VND.kubernetes.protobuf; charset=utf-8'), true);
    assert.equal(isProtobufContentType('application/json'), false);
    assert.equal(isProtobufContentType('application/vnd.kubernetes.protobuf;stream=watch'), true);
  });
});

describe('decodeProtobufObject', () => {
  it('takes apiVersion/kind from the envelope and drops the zero values Go always writes', () => {
    const obj = decodeProtobufObject(envelope('v1', 'Namespace', cat(meta('ns1'), bytesField(2, Buffer.alloc(0)))));
    assert.deepEqual(obj, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns1' } });
  });

  it('maps bytes to base64, keeps empty map values and pointer zeros', () => {
    const entry = (k: string, v: Buffer) => bytesField(2, cat(stringField(1, k), bytesField(2, v)));
    const raw = cat(meta('s'), entry('a', Buffer.from('hi')), entry('empty', Buffer.alloc(0)), varintField(5, false));
    const obj = decodeProtobufObject(envelope('v1', 'Secret', raw));
    assert.deepEqual(obj.data, { a: 'aGk=', empty: '' });
    assert.equal(obj.immutable, false);
  });

  it('keeps a "__proto__" map key as plain data', () => {
    const label = bytesField(11, cat(stringField(1, '__proto__'), stringField(2, 'x')));
    const obj = decodeProtobufObject(envelope('v1', 'ConfigMap', bytesField(1, cat(stringField(1, 'c'), label))));
    const labels = obj.metadata?.labels ?? {};
    assert.equal(Object.getPrototypeOf(labels), Object.prototype);
    assert.deepEqual(Object.entries(labels), [['__proto__', 'x']]);
  });

  it('decodes negative varints, packed repeated ints, times, quantities and int-or-strings', () => {
    const podSecurity = cat(varintField(2, -5), bytesField(4, Buffer.from([1, 2, 0x80, 0x01])));
    const quantity = bytesField(1, cat(stringField(1, 'cpu'), bytesField(2, stringField(1, '500m'))));
    const container = cat(stringField(1, 'c'), bytesField(8, quantity),
      bytesField(11, bytesField(1, bytesField(2, bytesField(2, cat(varintField(1, 1), stringField(3, 'http')))))));
    const spec = cat(bytesField(2, container), bytesField(14, podSecurity), varintField(4, 30));
    const timeField = bytesField(9, cat(varintField(1, 1767225600), varintField(2, 0)));
    const raw = cat(bytesField(1, cat(stringField(1, 'p'), timeField)), bytesField(2, spec));
    const obj = decodeProtobufObject(envelope('v1', 'Pod', raw));
    assert.deepEqual(obj.metadata, { name: 'p', deletionTimestamp: '2026-01-01T00:00:00Z' });
    assert.deepEqual(obj.spec, {
      containers: [{ name: 'c', resources: { limits: { cpu: '500m' } }, readinessProbe: { httpGet: { port: 'http' } } }],
      securityContext: { runAsUser: -5, supplementalGroups: [1, 2, 128] },
      terminationGracePeriodSeconds: 30,
    });
  });

  it('rejects bodies without the k8s prefix as malformed', () => {
    const err = decodeFailure(Buffer.from('{"kind":"Pod"}'));
    assert.equal(err.failure, 'malformed');
    assert.match(err.message, /k8s/);
  });

  it('rejects truncated messages as malformed', () => {
    const body = envelope('v1', 'Namespace', meta('ns1'));
    const err = decodeFailure(body.subarray(0, body.length - 3));
    assert.equal(err.failure, 'malformed');
  });

  it('rejects kinds it has no definition for as unsupported', () => {
    const err = decodeFailure(envelope('apps/v1', 'StatefulSet', meta('x')));
    assert.equal(err.failure, 'unsupported');
    assert.match(err.message, /StatefulSet \(apps\/v1\)/);
  });

  it('names the message, field number and path of an unknown field', () => {
    const raw = cat(meta('x'), bytesField(2, bytesField(3, bytesField(2, bytesField(2, varintField(99, 1))))));
    const err = decodeFailure(envelope('apps/v1', 'Deployment', raw));
    assert.equal(err.failure, 'unsupported');
    assert.match(err.message, /field 99 of core\/v1 Container .*spec\.template\.spec\.containers\[0\]/);
  });

  it('reports a field sent with the wrong wire type', () => {
    const err = decodeFailure(envelope('v1', 'Namespace', cat(bytesField(1, varintField(1, 7)))));
    assert.equal(err.failure, 'malformed');
    assert.match(err.message, /field 1 \(name\) of meta\/v1 ObjectMeta has wire type 0/);
  });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileStructuralSchema } from './crd-schema.ts';
import type { JsonSchema } from './types.ts';

const schema: JsonSchema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      required: ['size'],
      properties: {
        replicas: { type: 'integer', minimum: 0 },
        size: { type: 'string', enum: ['small', 'large'] },
        port: { 'x-kubernetes-int-or-string': true },
        name: { type: 'string', maxLength: 5, pattern: '^[a-z]+$' },
        when: { type: 'string', format: 'date-time' },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        items: { type: 'array', maxItems: 2, items: { type: 'object', properties: { id: { type: 'integer' } } } },
        free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        note: { type: 'string', nullable: true },
      },
    },
  },
};
const compiled = compileStructuralSchema(schema);

test('a valid object has no errors', () => {
  const obj = { apiVersion: 'a/v1', kind: 'W', metadata: { name: 'x' }, spec: { replicas: 1, size: 'small', port: 'http', when: '2024-01-01T00:00:00Z', note: null } };
  assert.deepEqual(compiled.validate(obj), []);
  assert.deepEqual(compiled.validate({ spec: { size: 'large', port: 8080 } }), []);
});

test('type errors read like kube-apiserver', () => {
  const [err] = compiled.validate({ spec: { size: 'small', replicas: 'string' } });
  assert.deepEqual(err, { field: 'spec.replicas', type: 'FieldValueInvalid', value: 'string', detail: 'spec.replicas in body must be of type integer: "string"' });
});

test('required, enum, bounds, length, pattern, format, items, int-or-string', () => {
  const errors = compiled.validate({ spec: { replicas: -1, size: 'huge', name: 'TOOLONG', when: 'yesterday', port: 1.5, items: [{ id: 'x' }, {}, {}] } });
  const byField = errors.map((e) => `${e.field} ${e.type} ${e.detail ?? ''}`);
  assert.deepEqual(byField.sort(), [
    'spec.items FieldValueTooMany must have at most 2 items',
    'spec.items[0].id FieldValueInvalid spec.items[0].id in body must be of type integer: "string"',
    'spec.name FieldValueInvalid spec.name in body should match \'^[a-z]+$\'',
    'spec.name FieldValueTooLong may not be more than 5 bytes',
    'spec.port FieldValueInvalid spec.port in body must be of type integer or string: "number"',
    'spec.replicas FieldValueInvalid spec.replicas in body should be greater than or equal to 0',
    'spec.size FieldValueNotSupported supported values: "small", "large"',
    'spec.when FieldValueInvalid spec.when in body must be of type date-time: "yesterday"',
  ]);
  assert.deepEqual(compiled.validate({ spec: {} }), [{ field: 'spec.size', type: 'FieldValueRequired', detail: '' }]);
});

test('prune removes unspecified fields and keeps maps, preserved subtrees and object metadata', () => {
  const obj = {
    apiVersion: 'a/v1',
    kind: 'W',
    metadata: { name: 'x' },
    status: { phase: 'x' },
    spec: { size: 'small', bogus: 1, labels: { any: 'key' }, free: { any: { deep: 1 } }, items: [{ id: 1, extra: true }] },
  };
  assert.deepEqual(compiled.prune(obj), ['status', 'spec.bogus', 'spec.items[0].extra']);
  assert.deepEqual(obj, { apiVersion: 'a/v1', kind: 'W', metadata: { name: 'x' }, spec: { size: 'small', labels: { any: 'key' }, free: { any: { deep: 1 } }, items: [{ id: 1 }] } });
});

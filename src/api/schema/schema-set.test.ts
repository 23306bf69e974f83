import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSchemaSet } from './schema-set.ts';
import type { JsonSchema } from './types.ts';

const defs: Record<string, JsonSchema> = {
  'a.v1.Widget': { type: 'object', properties: { spec: { $ref: '#/components/schemas/a.v1.WidgetSpec' } }, 'x-kubernetes-group-version-kind': [{ group: 'a', version: 'v1', kind: 'Widget' }] },
  'a.v1.WidgetSpec': { type: 'object', properties: { size: { type: 'integer' } } },
  'a.v1.Alias': { allOf: [{ $ref: '#/components/schemas/a.v1.WidgetSpec' }] },
  'a.v1.Universal': { type: 'object', 'x-kubernetes-group-version-kind': [{ group: 'a', version: 'v1', kind: 'Widget' }, { group: 'b', version: 'v1', kind: 'Widget' }] },
};

test('looks up definitions and kinds', () => {
  const set = createSchemaSet(defs);
  assert.equal(set.definition('a.v1.WidgetSpec'), defs['a.v1.WidgetSpec']);
  assert.equal(set.definition('toString'), undefined);
  assert.equal(set.nameForKind({ group: 'a', version: 'v1', kind: 'Widget' }), 'a.v1.Widget');
  assert.equal(set.nameForKind({ group: 'b', version: 'v1', kind: 'Widget' }), undefined, 'multi-GVK definitions are not a kind');
});

test('resolve follows $ref and single allOf chains', () => {
  const set = createSchemaSet(defs);
  assert.equal(set.resolve({ $ref: '#/components/schemas/a.v1.Alias' }), defs['a.v1.WidgetSpec']);
  assert.deepEqual(set.resolve({ $ref: '#/components/schemas/missing' }), { $ref: '#/components/schemas/missing' });
  const loop = createSchemaSet({ x: { $ref: '#/components/schemas/x' } });
  assert.ok(loop.resolve({ $ref: '#/components/schemas/x' }), 'cycles terminate');
});

test('withDefinitions returns a new set and leaves the old one unchanged', () => {
  const set = createSchemaSet(defs);
  const more = set.withDefinitions({ 'c.v1.Gadget': { type: 'object', 'x-kubernetes-group-version-kind': [{ group: 'c', version: 'v1', kind: 'Gadget' }] } });
  assert.equal(more.nameForKind({ group: 'c', version: 'v1', kind: 'Gadget' }), 'c.v1.Gadget');
  assert.equal(set.nameForKind({ group: 'c', version: 'v1', kind: 'Gadget' }), undefined);
  assert.equal(set.definition('c.v1.Gadget'), undefined);
  assert.ok(more.names().includes('a.v1.Widget'));
});

import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { loadBuiltinDefinitions } from './builtin-schemas.ts';
import { typeErrorMessage, typeErrors, unknownFields } from './field-validation.ts';
import { createSchemaSet } from './schema-set.ts';
import type { SchemaSet } from './types.ts';

const DEPLOYMENT = 'io.k8s.api.apps.v1.Deployment';
let schemas: SchemaSet;
before(async () => {
  schemas = createSchemaSet(await loadBuiltinDefinitions());
});

function deployment(podSpec: Record<string, unknown>, spec: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web' }, annotations: { any: 'thing' }, managedFields: [{ manager: 'm', fieldsV1: { 'f:spec': {} } }] },
    spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: podSpec }, ...spec },
  };
}

const nginx = { name: 'nginx', image: 'nginx', ports: [{ containerPort: 80 }], resources: { limits: { cpu: 1, memory: '1Gi' } } };

test('a valid deployment has no unknown fields and no type errors', () => {
  const obj = deployment({ containers: [nginx] }, { strategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: '25%' } } });
  assert.deepEqual(unknownFields(obj, DEPLOYMENT, schemas), []);
  assert.deepEqual(typeErrors(obj, DEPLOYMENT, schemas), []);
});

test('reports unknown fields with their paths, in document order', () => {
  const obj = deployment({ containers: [nginx, { ...nginx, name: 'b', bogus: true }] }, { bogus: 1 });
  (obj as { extra?: number }).extra = 1;
  assert.deepEqual(unknownFields(obj, DEPLOYMENT, schemas), ['.spec.template.spec.containers[1].bogus', '.spec.bogus', '.extra']);
});

test('maps and preserve-unknown-fields subtrees accept any key', () => {
  const obj = { apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: 'r' }, revision: 1, data: { anything: { goes: 1 } } };
  assert.deepEqual(unknownFields(obj, 'io.k8s.api.apps.v1.ControllerRevision', schemas), []);
});

test('reports type errors like Go decoding would', () => {
  const obj = deployment({ containers: 'nginx' }, { replicas: '3', paused: 'yes' });
  const errors = typeErrors(obj, DEPLOYMENT, schemas);
  assert.deepEqual(errors, [
    { path: '.spec.replicas', expected: 'integer', got: 'string' },
    { path: '.spec.template.spec.containers', expected: 'array', got: 'string' },
    { path: '.spec.paused', expected: 'boolean', got: 'string' },
  ]);
  assert.equal(typeErrorMessage(errors[0]!), '.spec.replicas: expected integer, got string');
  assert.deepEqual(typeErrors(deployment({ containers: [{ ...nginx, ports: [{ containerPort: 1.5 }] }] }), DEPLOYMENT, schemas), [
    { path: '.spec.template.spec.containers[0].ports[0].containerPort', expected: 'integer', got: 'number' },
  ]);
});

test('null is accepted anywhere and unknown schemas report nothing', () => {
  assert.deepEqual(typeErrors(deployment({ containers: null }, { strategy: null }), DEPLOYMENT, schemas), []);
  assert.deepEqual(unknownFields({ a: 1 }, 'no.such.Kind', schemas), []);
});

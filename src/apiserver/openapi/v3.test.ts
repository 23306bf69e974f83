import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { before, test } from 'node:test';
import { BUILTIN_RESOURCES } from '../../api/builtin-resources.ts';
import type { ResourceDefinition } from '../../api/resource-definition.ts';
import { loadBuiltinDefinitions } from '../../api/schema/builtin-schemas.ts';
import { createSchemaSet, type ExtensibleSchemaSet } from '../../api/schema/schema-set.ts';
import { createOpenApiV3 } from './v3.ts';

interface Doc {
  openapi: string;
  paths: Record<string, Record<string, { parameters?: Array<{ name: string }>; requestBody?: { content: Record<string, unknown> }; 'x-kubernetes-group-version-kind'?: unknown; 'x-kubernetes-action'?: string }>>;
  components: { schemas: Record<string, { 'x-kubernetes-group-version-kind'?: unknown }> };
}

let schemas: ExtensibleSchemaSet;
before(async () => {
  schemas = createSchemaSet(await loadBuiltinDefinitions());
});

function parse(openapi: ReturnType<typeof createOpenApiV3>, gv: string): Doc {
  const doc = openapi.document(gv);
  assert.ok(doc, gv);
  return JSON.parse(doc.body) as Doc;
}

test('index lists every group-version with a hash equal to the document ETag', () => {
  const openapi = createOpenApiV3(BUILTIN_RESOURCES, schemas);
  const index = openapi.index() as { paths: Record<string, { serverRelativeURL: string }> };
  assert.ok(index.paths['api/v1'] && index.paths['apis/apps/v1'] && index.paths['apis/apiextensions.k8s.io/v1']);
  const doc = openapi.document('apis/apps/v1');
  assert.equal(doc?.etag, createHash('sha512').update(doc?.body ?? '').digest('hex').toUpperCase());
  assert.equal(index.paths['apis/apps/v1']?.serverRelativeURL, `/openapi/v3/apis/apps/v1?hash=${doc?.etag}`);
  assert.equal(openapi.document('apis/apps/v1'), doc, 'cached');
  assert.equal(openapi.document('apis/nope/v1'), undefined);
});

test('deployment paths carry what kubectl probes: GVK, fieldValidation and SMP', () => {
  const doc = parse(createOpenApiV3(BUILTIN_RESOURCES, schemas), 'apis/apps/v1');
  assert.equal(doc.openapi, '3.0.0');
  const item = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'];
  assert.deepEqual(item?.patch?.['x-kubernetes-group-version-kind'], { group: 'apps', version: 'v1', kind: 'Deployment' });
  assert.ok(item?.patch?.parameters?.some((p) => p.name === 'fieldValidation'));
  assert.ok(item?.patch?.parameters?.some((p) => p.name === 'force'));
  assert.deepEqual(Object.keys(item?.patch?.requestBody?.content ?? {}), [
    'application/json-patch+json',
    'application/merge-patch+json',
    'application/strategic-merge-patch+json',
    'application/apply-patch+yaml',
  ]);
  const collection = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments'];
  assert.equal(collection?.get?.['x-kubernetes-action'], 'list');
  assert.ok(collection?.get?.parameters?.some((p) => p.name === 'labelSelector'));
  assert.equal(collection?.delete?.['x-kubernetes-action'], 'deletecollection');
  assert.ok(doc.paths['/apis/apps/v1/deployments']?.get);
  assert.ok(doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/status']?.patch);
  const scale = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale'];
  assert.deepEqual(scale?.put?.['x-kubernetes-group-version-kind'], { group: 'autoscaling', version: 'v1', kind: 'Scale' });
});

test('components hold exactly the reachable schemas, all references resolve', () => {
  const doc = parse(createOpenApiV3(BUILTIN_RESOURCES, schemas), 'apis/apps/v1');
  const names = Object.keys(doc.components.schemas);
  for (const n of ['io.k8s.api.apps.v1.Deployment', 'io.k8s.api.core.v1.PodSpec', 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', 'io.k8s.api.autoscaling.v1.Scale']) {
    assert.ok(names.includes(n), n);
  }
  assert.ok(!names.includes('io.k8s.api.batch.v1.Job'));
  for (const m of JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)) assert.ok(names.includes(m[1] ?? ''), `dangling ${m[1]}`);
});

test('cluster-scoped and create-only resources', () => {
  const core = parse(createOpenApiV3(BUILTIN_RESOURCES, schemas), 'api/v1');
  assert.ok(core.paths['/api/v1/nodes/{name}']?.get);
  assert.ok(core.paths['/api/v1/namespaces/{namespace}/pods/{name}/binding']?.post);
  const authz = parse(createOpenApiV3(BUILTIN_RESOURCES, schemas), 'apis/authorization.k8s.io/v1');
  assert.ok(authz.paths['/apis/authorization.k8s.io/v1/selfsubjectaccessreviews']?.post);
  assert.equal(authz.paths['/apis/authorization.k8s.io/v1/selfsubjectaccessreviews/{name}'], undefined);
});

test('custom resources get no strategic merge patch and a synthesized list schema', () => {
  const widget: ResourceDefinition = {
    group: 'example.com', version: 'v1', kind: 'Widget', listKind: 'WidgetList', plural: 'widgets', singular: 'widget',
    namespaced: true, verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'], schemaName: 'com.example.v1.Widget',
  };
  const withCrd = schemas.withDefinitions({
    'com.example.v1.Widget': {
      type: 'object',
      properties: { metadata: { $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }, spec: { type: 'object' } },
      'x-kubernetes-group-version-kind': [{ group: 'example.com', version: 'v1', kind: 'Widget' }],
    },
  });
  const doc = parse(createOpenApiV3([widget], withCrd), 'apis/example.com/v1');
  const patch = doc.paths['/apis/example.com/v1/namespaces/{namespace}/widgets/{name}']?.patch;
  assert.deepEqual(Object.keys(patch?.requestBody?.content ?? {}), ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml']);
  assert.deepEqual(doc.components.schemas['com.example.v1.WidgetList']?.['x-kubernetes-group-version-kind'], [{ group: 'example.com', version: 'v1', kind: 'WidgetList' }]);
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BUILTIN_RESOURCES } from '../../api/builtin-resources.ts';
import type { ResourceDefinition } from '../../api/resource-definition.ts';
import { buildSwaggerV2 } from './v2.ts';
import { createTestSchemaSet } from './v2-test-fixtures.ts';

function builtin(group: string, kind: string): ResourceDefinition {
  const r = BUILTIN_RESOURCES.find((x) => x.group === group && x.kind === kind);
  assert.ok(r, `${group}/${kind} is built in`);
  return r;
}

const widget: ResourceDefinition = {
  group: 'example.minato.io', version: 'v1', kind: 'Widget', listKind: 'WidgetList', plural: 'widgets', singular: 'widget',
  namespaced: true, verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], schemaName: 'io.minato.test.v1.Widget',
};

describe('buildSwaggerV2', () => {
  const doc = buildSwaggerV2([builtin('apps', 'Deployment'), builtin('', 'Pod'), widget], createTestSchemaSet());

  it('publishes every definition the served kinds reach, with v2 refs', () => {
    assert.deepEqual(Object.keys(doc.definitions).sort(), [
      'io.k8s.api.apps.v1.Deployment', 'io.k8s.api.apps.v1.DeploymentList', 'io.k8s.api.apps.v1.DeploymentSpec',
      'io.k8s.api.autoscaling.v1.Scale', 'io.k8s.api.core.v1.Container', 'io.k8s.api.core.v1.Pod', 'io.k8s.api.core.v1.PodList',
      'io.k8s.api.core.v1.PodSpec', 'io.k8s.api.core.v1.PodTemplateSpec', 'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector',
      'io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta', 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', 'io.minato.test.v1.Widget',
    ]);
    assert.deepEqual(doc.definitions['io.k8s.api.apps.v1.DeploymentSpec']?.properties?.template, {
      $ref: '#/definitions/io.k8s.api.core.v1.PodTemplateSpec',
      description: 'Template describes the pods that will be created.',
    });
  });

  it('keeps vendor extensions and drops what v2 cannot say', () => {
    const containers = doc.definitions['io.k8s.api.core.v1.PodSpec']?.properties?.containers;
    assert.equal(containers?.['x-kubernetes-patch-merge-key'], 'name');
    assert.deepEqual(containers?.items, { $ref: '#/definitions/io.k8s.api.core.v1.Container' });
    const container = doc.definitions['io.k8s.api.core.v1.Container']?.properties;
    assert.deepEqual(container?.stdin, { type: 'boolean', description: 'Whether this container should allocate a buffer for stdin.' });
    // ResourceRequirements is not in the set: a dangling $ref would make kubectl reject the document.
    assert.deepEqual(container?.resources, { description: 'Compute Resources required by this container.' });
  });

  it('lists the served kind on definitions that lack it', () => {
    assert.deepEqual(doc.definitions['io.minato.test.v1.Widget']?.['x-kubernetes-group-version-kind'], [{ group: 'example.minato.io', kind: 'Widget', version: 'v1' }]);
    assert.deepEqual(doc.definitions['io.k8s.api.apps.v1.Deployment']?.['x-kubernetes-group-version-kind'], [{ group: 'apps', version: 'v1', kind: 'Deployment' }]);
  });

  it('describes item operations with kind, action and write parameters', () => {
    const item = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'];
    assert.ok(item?.patch && item.get && item.put && item.delete);
    assert.deepEqual(item.patch['x-kubernetes-group-version-kind'], { group: 'apps', kind: 'Deployment', version: 'v1' });
    assert.equal(item.patch['x-kubernetes-action'], 'patch');
    assert.equal(item.patch.operationId, 'patchAppsV1NamespacedDeployment');
    const names = (item.patch.parameters ?? []).map((p) => p.name);
    assert.deepEqual(names, ['body', 'dryRun', 'fieldManager', 'fieldValidation', 'force']);
    assert.ok(item.patch.consumes?.includes('application/strategic-merge-patch+json'));
    assert.deepEqual(item.parameters?.map((p) => p.name), ['name', 'namespace']);
  });

  it('offers strategic merge patch only for built-in kinds', () => {
    const patch = doc.paths['/apis/example.minato.io/v1/namespaces/{namespace}/widgets/{name}']?.patch;
    assert.deepEqual(patch?.consumes, ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml']);
  });

  it('publishes collections, all-namespace lists and body-kind subresources', () => {
    assert.equal(doc.paths['/api/v1/namespaces/{namespace}/pods']?.post?.['x-kubernetes-action'], 'post');
    assert.equal(doc.paths['/api/v1/namespaces/{namespace}/pods']?.delete?.['x-kubernetes-action'], 'deletecollection');
    assert.deepEqual(doc.paths['/api/v1/pods']?.get?.responses['200']?.schema, { $ref: '#/definitions/io.k8s.api.core.v1.PodList' });
    const scale = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale'];
    assert.deepEqual(scale?.patch?.['x-kubernetes-group-version-kind'], { group: 'autoscaling', kind: 'Scale', version: 'v1' });
    assert.equal(doc.paths['/api/v1/namespaces/{namespace}/pods/{name}/exec'], undefined);
    assert.ok(doc.paths['/api/v1/namespaces/{namespace}/pods/{name}/status']?.put);
  });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateBuiltinDefinitions } from './generate-definitions.ts';

const defs = generateBuiltinDefinitions();
const CORE = 'io.k8s.api.core.v1';
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

test('uses upstream definition names across packages', () => {
  for (const name of [
    `${CORE}.PodSpec`,
    `${META}.ObjectMeta`,
    `${META}.Time`,
    'io.k8s.apimachinery.pkg.api.resource.Quantity',
    'io.k8s.apimachinery.pkg.util.intstr.IntOrString',
    'io.k8s.apimachinery.pkg.runtime.RawExtension',
    'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition',
    'io.k8s.api.apps.v1.Deployment',
    'io.k8s.api.autoscaling.v1.Scale',
  ]) {
    assert.ok(defs[name], name);
  }
});

test('carries descriptions, required fields and references', () => {
  const spec = defs['io.k8s.api.apps.v1.DeploymentSpec'];
  assert.match(spec?.description ?? '', /desired behavior of the Deployment/);
  assert.deepEqual(spec?.required, ['selector', 'template']);
  assert.equal(spec?.properties?.template?.$ref, `#/components/schemas/${CORE}.PodTemplateSpec`);
  assert.match(spec?.properties?.replicas?.description ?? '', /Number of desired pods/);
  assert.deepEqual({ type: spec?.properties?.replicas?.type, format: spec?.properties?.replicas?.format }, { type: 'integer', format: 'int32' });
  assert.equal(defs[`${CORE}.PodSpec`]?.properties?.activeDeadlineSeconds?.format, 'int64');
});

test('maps arrays, maps and special types', () => {
  const pod = defs[`${CORE}.PodSpec`]?.properties;
  assert.deepEqual(pod?.containers?.items, { $ref: `#/components/schemas/${CORE}.Container` });
  assert.deepEqual(pod?.nodeSelector?.additionalProperties, { type: 'string' });
  assert.deepEqual(defs[`${CORE}.ResourceRequirements`]?.properties?.limits?.additionalProperties, {
    $ref: '#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity',
  });
  assert.equal(defs[`${CORE}.ServicePort`]?.properties?.targetPort?.$ref, '#/components/schemas/io.k8s.apimachinery.pkg.util.intstr.IntOrString');
  assert.equal(defs['io.k8s.apimachinery.pkg.util.intstr.IntOrString']?.['x-kubernetes-int-or-string'], true);
  assert.equal(defs['io.k8s.apimachinery.pkg.api.resource.Quantity']?.['x-kubernetes-int-or-string'], true);
  assert.equal(defs[`${META}.Time`]?.format, 'date-time');
  assert.equal(defs['io.k8s.apimachinery.pkg.runtime.RawExtension']?.['x-kubernetes-preserve-unknown-fields'], true);
  const props = defs['io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps']?.properties;
  assert.equal(props?.maximum?.type, 'number');
  assert.equal(props?.['x-kubernetes-preserve-unknown-fields']?.type, 'boolean');
});

test('tags top-level kinds with their group-version-kind', () => {
  assert.deepEqual(defs['io.k8s.api.apps.v1.Deployment']?.['x-kubernetes-group-version-kind'], [{ group: 'apps', version: 'v1', kind: 'Deployment' }]);
  assert.deepEqual(defs[`${CORE}.Pod`]?.['x-kubernetes-group-version-kind'], [{ group: '', version: 'v1', kind: 'Pod' }]);
  assert.equal(defs[`${CORE}.PodSpec`]?.['x-kubernetes-group-version-kind'], undefined);
  const watch = defs[`${META}.WatchEvent`]?.['x-kubernetes-group-version-kind'] ?? [];
  assert.ok(watch.some((g) => g.group === 'apps' && g.kind === 'WatchEvent'));
});

test('every reference resolves and output is deterministic', () => {
  const text = JSON.stringify(defs);
  for (const m of text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)) assert.ok(defs[m[1] ?? ''], `dangling ${m[1]}`);
  assert.equal(JSON.stringify(generateBuiltinDefinitions()), text);
});

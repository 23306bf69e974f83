import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateCustomResourceDefinition } from './apiextensions-validation.ts';
import { validateHorizontalPodAutoscaler } from './autoscaling-validation.ts';
import { validateLease } from './coordination-validation.ts';
import { validateEndpointSlice } from './discovery-validation.ts';
import { validateIngress, validateIngressClass, validateNetworkPolicy } from './networking-validation.ts';
import { validatePodDisruptionBudget } from './policy-validation.ts';
import { validateClusterRoleBinding, validateRole, validateRoleBinding } from './rbac-validation.ts';
import { validateStorageClass } from './storage-validation.ts';
import { object, summarize } from './test-builders.ts';

describe('autoscaling', () => {
  const hpa = (apiVersion: string, spec: Record<string, unknown>) =>
    object(apiVersion, 'HorizontalPodAutoscaler', 'web', { spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 5, ...spec } });

  it('checks replica bounds', () => {
    assert.deepEqual(validateHorizontalPodAutoscaler(hpa('autoscaling/v2', { minReplicas: 1 })), []);
    const errs = validateHorizontalPodAutoscaler(hpa('autoscaling/v2', { minReplicas: 0, maxReplicas: 0 }));
    assert.deepEqual(summarize(errs), ['spec.minReplicas FieldValueInvalid', 'spec.maxReplicas FieldValueInvalid']);
    assert.equal(errs[0]?.detail, 'must be greater than or equal to 1');
    assert.deepEqual(summarize(validateHorizontalPodAutoscaler(hpa('autoscaling/v1', { minReplicas: 6 }))), ['spec.maxReplicas FieldValueInvalid']);
  });

  it('checks the scale target and v2 metrics', () => {
    assert.deepEqual(summarize(validateHorizontalPodAutoscaler(hpa('autoscaling/v2', { scaleTargetRef: {} }))), ['spec.scaleTargetRef.kind FieldValueRequired', 'spec.scaleTargetRef.name FieldValueRequired']);
    const metrics = [{ type: 'Resource' }, { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 0 } } }];
    assert.deepEqual(summarize(validateHorizontalPodAutoscaler(hpa('autoscaling/v2', { metrics }))), ['spec.metrics[0].resource FieldValueRequired', 'spec.metrics[1].resource.target.averageUtilization FieldValueInvalid']);
  });
});

describe('networking', () => {
  it('NetworkPolicy: policy types, ports and peers', () => {
    const np = object('networking.k8s.io/v1', 'NetworkPolicy', 'deny', {
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Sideways'], ingress: [{ ports: [{ port: 80, endPort: 70 }], from: [{}, { ipBlock: { cidr: '10.0.0.0/33' } }] }] },
    });
    assert.deepEqual(summarize(validateNetworkPolicy(np)), [
      'spec.policyTypes[1] FieldValueNotSupported',
      'spec.ingress[0].ports[0].endPort FieldValueInvalid',
      'spec.ingress[0].from[0] FieldValueRequired',
      'spec.ingress[0].from[1].ipBlock.cidr FieldValueInvalid',
    ]);
  });

  it('Ingress: rules need pathType and a single backend', () => {
    const backend = { service: { name: 'web', port: { number: 80 } } };
    const ing = (spec: Record<string, unknown>) => object('networking.k8s.io/v1', 'Ingress', 'web', { spec });
    assert.deepEqual(validateIngress(ing({ rules: [{ host: 'example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend }] } }] })), []);
    assert.deepEqual(summarize(validateIngress(ing({}))), ['spec FieldValueInvalid']);
    assert.deepEqual(summarize(validateIngress(ing({ rules: [{ host: '10.0.0.1', http: { paths: [{ path: 'x', backend: { service: { name: 'web', port: {} } } }] } }] }))), [
      'spec.rules[0].host FieldValueInvalid',
      'spec.rules[0].http.paths[0].pathType FieldValueRequired',
      'spec.rules[0].http.paths[0].backend.service.port FieldValueRequired',
    ]);
  });

  it('IngressClass: controller required, domain-prefixed and immutable', () => {
    const ic = (controller?: string) => object('networking.k8s.io/v1', 'IngressClass', 'nginx', { spec: { controller } }, undefined);
    assert.deepEqual(validateIngressClass(ic('k8s.io/ingress-nginx')), []);
    assert.deepEqual(summarize(validateIngressClass(ic('nginx'))), ['spec.controller FieldValueInvalid']);
    assert.deepEqual(summarize(validateIngressClass(ic('example.com/other'), ic('k8s.io/ingress-nginx'))), ['spec.controller FieldValueInvalid']);
  });
});

describe('policy', () => {
  it('PodDisruptionBudget: not both minAvailable and maxUnavailable', () => {
    const pdb = (spec: Record<string, unknown>) => object('policy/v1', 'PodDisruptionBudget', 'web', { spec: { selector: { matchLabels: { app: 'web' } }, ...spec } });
    assert.deepEqual(validatePodDisruptionBudget(pdb({ minAvailable: '50%' })), []);
    assert.deepEqual(summarize(validatePodDisruptionBudget(pdb({ minAvailable: 1, maxUnavailable: '120%' }))), ['spec FieldValueInvalid', 'spec.maxUnavailable FieldValueInvalid']);
  });
});

describe('rbac', () => {
  it('Role rules need verbs, groups and resources, and no URLs', () => {
    const role = object('rbac.authorization.k8s.io/v1', 'Role', 'reader', { rules: [{ apiGroups: [''], resources: ['pods'] }, { verbs: ['get'], nonResourceURLs: ['/healthz'] }, { verbs: ['get'] }] });
    assert.deepEqual(summarize(validateRole(role)), [
      'rules[0].verbs FieldValueRequired',
      'rules[1].nonResourceURLs FieldValueInvalid',
      'rules[2].apiGroups FieldValueRequired',
      'rules[2].resources FieldValueRequired',
    ]);
  });

  it('bindings need a valid roleRef that never changes', () => {
    const rb = (roleRef: Record<string, unknown>, subjects: unknown[] = [{ kind: 'User', name: 'jane', apiGroup: 'rbac.authorization.k8s.io' }]) =>
      object('rbac.authorization.k8s.io/v1', 'RoleBinding', 'read', { roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...roleRef }, subjects });
    assert.deepEqual(validateRoleBinding(rb({ kind: 'Role', name: 'reader' })), []);
    assert.deepEqual(summarize(validateRoleBinding(rb({ kind: 'Deployment', name: 'x' }))), ['roleRef.kind FieldValueNotSupported']);
    assert.deepEqual(summarize(validateRoleBinding(rb({ kind: 'ClusterRole', name: 'view' }), rb({ kind: 'Role', name: 'reader' }))), ['roleRef FieldValueInvalid']);
    const crb = rb({ kind: 'Role', name: 'reader' }, [{ kind: 'ServiceAccount', name: 'default' }, { kind: 'Robot', name: 'r' }]);
    assert.deepEqual(summarize(validateClusterRoleBinding(crb)), ['roleRef.kind FieldValueNotSupported', 'subjects[0].namespace FieldValueRequired', 'subjects[1].kind FieldValueNotSupported']);
  });
});

describe('storage, coordination, discovery', () => {
  it('StorageClass: provisioner required, parameters fixed', () => {
    const sc = (body: Record<string, unknown>) => object('storage.k8s.io/v1', 'StorageClass', 'fast', body, undefined);
    assert.deepEqual(summarize(validateStorageClass(sc({}))), ['provisioner FieldValueRequired']);
    assert.deepEqual(summarize(validateStorageClass(sc({ provisioner: 'x.io/p', parameters: { a: '2' } }), sc({ provisioner: 'x.io/p', parameters: { a: '1' } }))), ['parameters FieldValueForbidden']);
  });

  it('Lease: positive duration', () => {
    assert.deepEqual(summarize(validateLease(object('coordination.k8s.io/v1', 'Lease', 'l', { spec: { leaseDurationSeconds: 0 } }))), ['spec.leaseDurationSeconds FieldValueInvalid']);
  });

  it('EndpointSlice: addresses match the address type', () => {
    const slice = (addressType: string) => object('discovery.k8s.io/v1', 'EndpointSlice', 'web-abc', { addressType, endpoints: [{ addresses: ['10.0.0.1'] }, { addresses: [] }] });
    assert.deepEqual(summarize(validateEndpointSlice(slice('IPv4'))), ['endpoints[1].addresses FieldValueRequired']);
    assert.deepEqual(summarize(validateEndpointSlice(slice('IPv6'), slice('IPv4'))), ['endpoints[0].addresses[0] FieldValueInvalid', 'endpoints[1].addresses FieldValueRequired', 'addressType FieldValueInvalid']);
  });
});

describe('apiextensions', () => {
  const crd = (name: string, spec: Record<string, unknown> = {}) => object('apiextensions.k8s.io/v1', 'CustomResourceDefinition', name, {
    spec: {
      group: 'example.com',
      scope: 'Namespaced',
      names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } }],
      ...spec,
    },
  }, undefined);

  it('accepts a well-formed definition', () => {
    assert.deepEqual(validateCustomResourceDefinition(crd('widgets.example.com')), []);
  });

  it('checks name, group, versions and schemas', () => {
    const versions = [{ name: 'v1', served: true, storage: true }, { name: 'v2', served: true, storage: true, schema: { openAPIV3Schema: {} } }];
    assert.deepEqual(summarize(validateCustomResourceDefinition(crd('widgets', { group: 'example', versions, scope: 'Global' }))), [
      'spec.group FieldValueInvalid',
      'metadata.name FieldValueInvalid',
      'spec.scope FieldValueNotSupported',
      'spec.versions[0].schema.openAPIV3Schema FieldValueRequired',
      'spec.versions FieldValueInvalid',
    ]);
  });

  it('keeps scope immutable', () => {
    assert.deepEqual(summarize(validateCustomResourceDefinition(crd('widgets.example.com', { scope: 'Cluster' }), crd('widgets.example.com'))), ['spec.scope FieldValueInvalid']);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaulterFor, defaultJobSelector } from '../defaults/index.ts';
import { parseApiVersion, type KubeObject } from '../types.ts';
import { validatorFor } from './index.ts';
import { summarize } from './test-builders.ts';

/** Default then validate, as the API server does on create. */
function admit(obj: KubeObject): string[] {
  const { group } = parseApiVersion(obj.apiVersion ?? '');
  defaulterFor(group, obj.kind ?? '')?.(obj);
  if (obj.kind === 'Job') defaultJobSelector(obj, 'uid-1');
  const validator = validatorFor(group, obj.kind ?? '');
  assert.ok(validator, `no validator for ${obj.kind}`);
  return summarize(validator(obj));
}

const ns = { namespace: 'default' };
const podTemplate = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx', resources: {} }] } };

/** Objects as kubectl's generators (`create`, `run`, `expose`, `autoscale`) send them. */
const KUBECTL_OBJECTS: KubeObject[] = [
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', labels: { run: 'web' }, ...ns }, spec: { containers: [{ name: 'web', image: 'nginx', resources: {} }], dnsPolicy: 'ClusterFirst', restartPolicy: 'Always' }, status: {} },
  { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: { app: 'web' }, ...ns }, spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, strategy: {}, template: podTemplate }, status: {} },
  { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', ...ns }, spec: { serviceName: 'db', selector: { matchLabels: { app: 'web' } }, template: podTemplate } },
  { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', ...ns }, spec: { selector: { matchLabels: { app: 'web' } }, template: podTemplate } },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', labels: { app: 'web' }, ...ns }, spec: { ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }], selector: { app: 'web' } } },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'np', ...ns }, spec: { type: 'NodePort', ports: [{ name: '80-80', port: 80, targetPort: 80 }], selector: { app: 'np' } } },
  { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'pi', ...ns }, spec: { template: { metadata: {}, spec: { containers: [{ name: 'pi', image: 'perl' }], restartPolicy: 'Never' } } } },
  { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'hello', ...ns }, spec: { schedule: '*/1 * * * *', jobTemplate: { metadata: { name: 'hello' }, spec: { template: { spec: { containers: [{ name: 'hello', image: 'busybox' }], restartPolicy: 'OnFailure' } } } } } },
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', ...ns }, data: { 'app.properties': 'a=b' } },
  { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'tls', ...ns }, type: 'kubernetes.io/tls', data: { 'tls.crt': 'Y2VydA==', 'tls.key': 'a2V5' } },
  { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'generic', ...ns }, stringData: { password: 's3cret' } },
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dev' }, spec: {}, status: {} },
  { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'robot', ...ns } },
  { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', ...ns }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } },
  { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q', ...ns }, spec: { hard: { pods: '10', 'requests.cpu': '2' } } },
  { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web', ...ns }, spec: { maxReplicas: 5, scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, targetCPUUtilizationPercentage: 80 } },
  { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web', ...ns }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } } } },
  { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', ...ns }, spec: { rules: [{ host: 'foo.com', http: { paths: [{ path: '/', pathType: 'Exact', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] } },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'pod-reader', ...ns }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }] },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'system:robots' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' }, subjects: [{ kind: 'ServiceAccount', name: 'robot', namespace: 'default' }, { kind: 'User', name: 'jane' }] },
  { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'local-path' }, provisioner: 'rancher.io/local-path' },
  { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'kube-scheduler', ...ns }, spec: { holderIdentity: 'a', leaseDurationSeconds: 15 } },
];

describe('validatorFor after defaulterFor', () => {
  for (const obj of KUBECTL_OBJECTS) {
    it(`accepts a kubectl-made ${obj.kind} ${obj.metadata?.name}`, () => assert.deepEqual(admit(structuredClone(obj)), []));
  }
});

describe('validatorFor', () => {
  it('checks object meta with the kind name rule and scope', () => {
    const svc = validatorFor('', 'Service');
    assert.deepEqual(summarize(svc?.({ metadata: { name: '1web', namespace: 'default' }, spec: { ports: [{ port: 80, protocol: 'TCP' }] } }) ?? []), ['metadata.name FieldValueInvalid']);
    const node = validatorFor('', 'Node');
    assert.deepEqual(summarize(node?.({ metadata: { name: 'n1', namespace: 'default' } }) ?? []), ['metadata.namespace FieldValueForbidden']);
    const role = validatorFor('rbac.authorization.k8s.io', 'ClusterRole');
    assert.deepEqual(role?.({ metadata: { name: 'system:controller:x' }, rules: [] }), []);
  });

  it('lets the caller override scope and node-port range', () => {
    const validator = validatorFor('', 'Service', { namespaced: false, serviceNodePortRange: { min: 80, max: 90 } });
    const obj = { metadata: { name: 'web' }, spec: { type: 'NodePort', ports: [{ port: 80, protocol: 'TCP', nodePort: 85 }] } };
    assert.deepEqual(validator?.(obj), []);
  });

  it('runs update checks when given the old object', () => {
    const validator = validatorFor('apps', 'Deployment');
    const old = { metadata: { name: 'web', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'web' } }, template: structuredClone(podTemplate) } };
    defaulterFor('apps', 'Deployment')?.(old);
    const renamed = structuredClone(old);
    renamed.metadata.name = 'web2';
    assert.deepEqual(summarize(validator?.(renamed, old) ?? []), ['metadata.name FieldValueInvalid']);
  });

  it('has no validator for virtual or unknown kinds', () => {
    assert.equal(validatorFor('authorization.k8s.io', 'SubjectAccessReview'), undefined);
    assert.equal(validatorFor('example.com', 'Widget'), undefined);
  });
});

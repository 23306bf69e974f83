import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../types.ts';
import { defaulterFor, defaultJobSelector } from './index.ts';

function defaulted(group: string, obj: KubeObject): Record<string, unknown> {
  const defaulter = defaulterFor(group, obj.kind ?? '');
  assert.ok(defaulter, `no defaulter for ${obj.kind}`);
  defaulter(obj);
  return obj as Record<string, unknown>;
}

const tmpl = () => ({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } });

describe('workload defaults', () => {
  it('Deployment', () => {
    const d = defaulted('apps', { kind: 'Deployment', spec: { selector: { matchLabels: { app: 'web' } }, template: tmpl() } });
    assert.deepEqual(d.spec, {
      replicas: 1,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [{ name: 'app', image: 'nginx', imagePullPolicy: 'Always', resources: {}, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' }],
          dnsPolicy: 'ClusterFirst',
          restartPolicy: 'Always',
          terminationGracePeriodSeconds: 30,
          securityContext: {},
          schedulerName: 'default-scheduler',
        },
      },
    });
  });

  it('Recreate deployments get no rollingUpdate', () => {
    const d = defaulted('apps', { kind: 'Deployment', spec: { strategy: { type: 'Recreate' }, template: tmpl() } });
    assert.deepEqual((d.spec as { strategy: unknown }).strategy, { type: 'Recreate' });
  });

  it('StatefulSet and DaemonSet', () => {
    const sts = defaulted('apps', { kind: 'StatefulSet', spec: { template: tmpl(), volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: {} }] } }).spec as Record<string, unknown>;
    assert.equal(sts.replicas, 1);
    assert.equal(sts.podManagementPolicy, 'OrderedReady');
    assert.deepEqual(sts.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
    assert.deepEqual(sts.persistentVolumeClaimRetentionPolicy, { whenDeleted: 'Retain', whenScaled: 'Retain' });
    assert.deepEqual(sts.volumeClaimTemplates, [{ metadata: { name: 'data' }, spec: { volumeMode: 'Filesystem' }, status: { phase: 'Pending' } }]);
    const ds = defaulted('apps', { kind: 'DaemonSet', spec: { template: tmpl() } }).spec as Record<string, unknown>;
    assert.deepEqual(ds.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
    assert.equal(ds.revisionHistoryLimit, 10);
  });

  it('Job, then its generated selector', () => {
    const job = defaulted('batch', { kind: 'Job', metadata: { name: 'pi' }, spec: { template: { spec: { containers: [{ name: 'pi', image: 'perl' }], restartPolicy: 'Never' } } } });
    const spec = job.spec as Record<string, unknown>;
    assert.deepEqual([spec.completions, spec.parallelism, spec.backoffLimit, spec.completionMode, spec.suspend, spec.podReplacementPolicy], [1, 1, 6, 'NonIndexed', false, 'TerminatingOrFailed']);
    defaultJobSelector(job, 'uid-1');
    assert.deepEqual(spec.selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': 'uid-1' } });
    const labels = { 'batch.kubernetes.io/controller-uid': 'uid-1', 'batch.kubernetes.io/job-name': 'pi', 'controller-uid': 'uid-1', 'job-name': 'pi' };
    assert.deepEqual((spec.template as { metadata: unknown }).metadata, { labels });
    assert.deepEqual((job.metadata as { labels: unknown }).labels, labels);
  });

  it('Job with parallelism only keeps completions unset; manual selectors are left alone', () => {
    const job = defaulted('batch', { kind: 'Job', spec: { parallelism: 3, manualSelector: true, template: tmpl() } });
    assert.equal((job.spec as Record<string, unknown>).completions, undefined);
    defaultJobSelector(job, 'u');
    assert.equal((job.spec as Record<string, unknown>).selector, undefined);
  });

  it('CronJob', () => {
    const cj = defaulted('batch', { kind: 'CronJob', spec: { schedule: '* * * * *', jobTemplate: { spec: { template: tmpl() } } } }).spec as Record<string, unknown>;
    assert.deepEqual([cj.concurrencyPolicy, cj.suspend, cj.successfulJobsHistoryLimit, cj.failedJobsHistoryLimit], ['Allow', false, 3, 1]);
  });
});

describe('core defaults', () => {
  it('Service', () => {
    const svc = defaulted('', { kind: 'Service', spec: { type: 'NodePort', ports: [{ port: 80 }, { port: 443, targetPort: 'https' }] } });
    assert.deepEqual(svc.spec, {
      type: 'NodePort',
      sessionAffinity: 'None',
      ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }, { port: 443, protocol: 'TCP', targetPort: 'https' }],
      externalTrafficPolicy: 'Cluster',
      internalTrafficPolicy: 'Cluster',
      ipFamilyPolicy: 'SingleStack',
      ipFamilies: ['IPv4'],
    });
  });

  it('Namespace, Secret, PVC, PV', () => {
    assert.deepEqual(defaulted('', { kind: 'Namespace' }), { kind: 'Namespace', spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } });
    const secret = defaulted('', { kind: 'Secret', data: { a: 'eA==' }, stringData: { b: 'hello' } });
    assert.deepEqual(secret, { kind: 'Secret', type: 'Opaque', data: { a: 'eA==', b: 'aGVsbG8=' } });
    assert.deepEqual(defaulted('', { kind: 'PersistentVolumeClaim', spec: {} }), { kind: 'PersistentVolumeClaim', spec: { volumeMode: 'Filesystem' }, status: { phase: 'Pending' } });
    const pv = defaulted('', { kind: 'PersistentVolume', spec: {} }).spec;
    assert.deepEqual(pv, { persistentVolumeReclaimPolicy: 'Retain', volumeMode: 'Filesystem' });
  });

  it('ReplicationController takes selector and labels from its template', () => {
    const rc = defaulted('', { kind: 'ReplicationController', metadata: { name: 'rc' }, spec: { template: tmpl() } });
    assert.deepEqual((rc.spec as Record<string, unknown>).selector, { app: 'web' });
    assert.deepEqual((rc.metadata as Record<string, unknown>).labels, { app: 'web' });
  });
});

describe('other group defaults', () => {
  it('HPA v2 gets a CPU metric and behavior rules; v1 only minReplicas', () => {
    const v2 = defaulted('autoscaling', { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', spec: { maxReplicas: 3, behavior: {} } }).spec as Record<string, unknown>;
    assert.equal(v2.minReplicas, 1);
    assert.equal((v2.metrics as unknown[]).length, 1);
    assert.deepEqual((v2.behavior as { scaleDown: unknown }).scaleDown, { stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] });
    const v1 = defaulted('autoscaling', { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', spec: { maxReplicas: 3 } });
    assert.deepEqual(v1.spec, { maxReplicas: 3, minReplicas: 1 });
  });

  it('NetworkPolicy policyTypes, binding apiGroups, StorageClass, EndpointSlice, CRD names', () => {
    assert.deepEqual((defaulted('networking.k8s.io', { kind: 'NetworkPolicy', spec: { podSelector: {}, egress: [{}] } }).spec as Record<string, unknown>).policyTypes, ['Ingress', 'Egress']);
    const rb = defaulted('rbac.authorization.k8s.io', { kind: 'RoleBinding', roleRef: { kind: 'Role', name: 'r' }, subjects: [{ kind: 'User', name: 'u' }, { kind: 'ServiceAccount', name: 's' }] });
    assert.deepEqual(rb.subjects, [{ kind: 'User', name: 'u', apiGroup: 'rbac.authorization.k8s.io' }, { kind: 'ServiceAccount', name: 's', apiGroup: '' }]);
    assert.equal((rb.roleRef as Record<string, unknown>).apiGroup, 'rbac.authorization.k8s.io');
    const sc = defaulted('storage.k8s.io', { kind: 'StorageClass', provisioner: 'x' });
    assert.deepEqual([sc.reclaimPolicy, sc.volumeBindingMode], ['Delete', 'Immediate']);
    assert.deepEqual(defaulted('discovery.k8s.io', { kind: 'EndpointSlice', ports: [{ port: 80 }] }).ports, [{ port: 80, name: '', protocol: 'TCP' }]);
    const crd = defaulted('apiextensions.k8s.io', { kind: 'CustomResourceDefinition', spec: { names: { kind: 'Widget', plural: 'widgets' } } });
    assert.deepEqual((crd.spec as { names: unknown }).names, { kind: 'Widget', plural: 'widgets', singular: 'widget', listKind: 'WidgetList' });
  });

  it('has no defaulter for kinds upstream leaves alone', () => {
    assert.equal(defaulterFor('', 'ConfigMap'), undefined);
    assert.equal(defaulterFor('policy', 'PodDisruptionBudget'), undefined);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateControllerRevision, validateDaemonSet, validateDeployment, validateReplicaSet, validateStatefulSet } from './apps-validation.ts';
import { object, podSpec, summarize, template, workload } from './test-builders.ts';

describe('validateDeployment', () => {
  it('accepts a minimal deployment', () => {
    assert.deepEqual(validateDeployment(workload('Deployment')), []);
  });

  it('rejects negative replicas with upstream text', () => {
    const [err] = validateDeployment(workload('Deployment', 'web', { replicas: -1 }));
    assert.deepEqual(err, { field: 'spec.replicas', type: 'FieldValueInvalid', value: -1, detail: 'must be greater than or equal to 0' });
  });

  it('requires a selector matching the template labels', () => {
    assert.deepEqual(summarize(validateDeployment(workload('Deployment', 'web', { selector: undefined }))), ['spec.selector FieldValueRequired']);
    assert.deepEqual(summarize(validateDeployment(workload('Deployment', 'web', { selector: {} }))), ['spec.selector FieldValueInvalid']);
    const errs = validateDeployment(workload('Deployment', 'web', { selector: { matchLabels: { app: 'other' } } }));
    assert.deepEqual(summarize(errs), ['spec.template.metadata.labels FieldValueInvalid']);
    assert.equal(errs[0]?.detail, '`selector` does not match template `labels`');
  });

  it('requires restartPolicy Always in the template', () => {
    const errs = validateDeployment(workload('Deployment', 'web', { template: template({ app: 'web' }, { ...podSpec(), restartPolicy: 'Never' }) }));
    assert.deepEqual(summarize(errs), ['spec.template.spec.restartPolicy FieldValueNotSupported']);
  });

  it('checks strategy parameters', () => {
    const rolling = (rollingUpdate: Record<string, unknown>) => workload('Deployment', 'web', { strategy: { type: 'RollingUpdate', rollingUpdate } });
    assert.deepEqual(summarize(validateDeployment(rolling({ maxUnavailable: 0, maxSurge: 0 }))), ['spec.strategy.rollingUpdate.maxUnavailable FieldValueInvalid']);
    assert.deepEqual(summarize(validateDeployment(rolling({ maxUnavailable: '150%', maxSurge: 'lots' }))), [
      'spec.strategy.rollingUpdate.maxUnavailable FieldValueInvalid',
      'spec.strategy.rollingUpdate.maxSurge FieldValueInvalid',
    ]);
    const recreate = workload('Deployment', 'web', { strategy: { type: 'Recreate', rollingUpdate: {} } });
    assert.deepEqual(summarize(validateDeployment(recreate)), ['spec.strategy.rollingUpdate FieldValueForbidden']);
  });

  it('checks history and progress deadline', () => {
    const errs = validateDeployment(workload('Deployment', 'web', { revisionHistoryLimit: -1, minReadySeconds: 10, progressDeadlineSeconds: 5 }));
    assert.deepEqual(summarize(errs), ['spec.revisionHistoryLimit FieldValueInvalid', 'spec.progressDeadlineSeconds FieldValueInvalid']);
  });

  it('keeps the selector immutable', () => {
    const changed = workload('Deployment', 'web', { selector: { matchLabels: { app: 'web', tier: 'x' } }, template: template({ app: 'web', tier: 'x' }) });
    assert.deepEqual(summarize(validateDeployment(changed, workload('Deployment'))), ['spec.selector FieldValueInvalid']);
    assert.deepEqual(validateDeployment(workload('Deployment', 'web', { replicas: 5 }), workload('Deployment')), []);
  });
});

describe('other apps kinds', () => {
  it('ReplicaSet: replicas and selector', () => {
    assert.deepEqual(validateReplicaSet(workload('ReplicaSet')), []);
    assert.deepEqual(summarize(validateReplicaSet(workload('ReplicaSet', 'web', { replicas: -2 }))), ['spec.replicas FieldValueInvalid']);
  });

  it('DaemonSet: update strategy not both zero', () => {
    const ds = workload('DaemonSet', 'agent', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } } });
    assert.deepEqual(summarize(validateDaemonSet(ds)), ['spec.updateStrategy.rollingUpdate.maxUnavailable FieldValueInvalid']);
    assert.deepEqual(validateDaemonSet(workload('DaemonSet')), []);
  });

  it('StatefulSet: policies, claim templates and fixed spec', () => {
    const sts = (extra: Record<string, unknown>) => workload('StatefulSet', 'db', { serviceName: 'db', ...extra });
    assert.deepEqual(validateStatefulSet(sts({})), []);
    assert.deepEqual(summarize(validateStatefulSet(sts({ podManagementPolicy: 'Random', volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'] } }] }))), [
      'spec.podManagementPolicy FieldValueNotSupported',
      'spec.volumeClaimTemplates[0].spec.resources[storage] FieldValueRequired',
    ]);
    assert.deepEqual(validateStatefulSet(sts({ replicas: 3 }), sts({})), []);
    const mounted = template({ app: 'web' }, podSpec({ name: 'db', image: 'mysql', volumeMounts: [{ name: 'data', mountPath: '/var/lib/mysql' }] }));
    const claims = [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }];
    assert.deepEqual(validateStatefulSet(sts({ template: mounted, volumeClaimTemplates: claims })), []);
    assert.deepEqual(summarize(validateStatefulSet(sts({ template: mounted }))), ['spec.template.spec.containers[0].volumeMounts[0].name FieldValueNotFound']);
    assert.deepEqual(summarize(validateStatefulSet(sts({ serviceName: 'other' }), sts({}))), ['spec FieldValueForbidden']);
  });

  it('ControllerRevision: data required and immutable', () => {
    const rev = (data: unknown) => object('apps/v1', 'ControllerRevision', 'r1', { revision: 1, data });
    assert.deepEqual(summarize(validateControllerRevision(rev(undefined))), ['data FieldValueRequired']);
    assert.deepEqual(summarize(validateControllerRevision(rev({ a: 2 }), rev({ a: 1 }))), ['data FieldValueInvalid']);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateCoreEvent, validateEndpoints, validateLimitRange, validateNamespace, validateNode, validateReplicationController, validateResourceQuota } from './core-misc-validation.ts';
import { object, summarize, template } from './test-builders.ts';

describe('core kinds', () => {
  it('Namespace finalizers are qualified names', () => {
    assert.deepEqual(summarize(validateNamespace(object('v1', 'Namespace', 'dev', { spec: { finalizers: ['kubernetes', 'bad name'] } }, undefined))), ['spec.finalizers[1] FieldValueInvalid']);
  });

  it('Node taints need keys and effects', () => {
    assert.deepEqual(summarize(validateNode(object('v1', 'Node', 'n1', { spec: { taints: [{ effect: 'Sometimes' }] } }, undefined))), ['spec.taints[0].key FieldValueRequired', 'spec.taints[0].effect FieldValueNotSupported']);
  });

  it('ResourceQuota hard limits are quantities', () => {
    assert.deepEqual(summarize(validateResourceQuota(object('v1', 'ResourceQuota', 'q', { spec: { hard: { pods: '10', 'requests.cpu': 'x' } } }))), ['spec.hard[requests.cpu] FieldValueInvalid']);
  });

  it('LimitRange keeps min ≤ default ≤ max', () => {
    const errs = validateLimitRange(object('v1', 'LimitRange', 'l', { spec: { limits: [{ type: 'Container', min: { cpu: '2' }, max: { cpu: '1' } }] } }));
    assert.deepEqual(summarize(errs), ['spec.limits[0].min[cpu] FieldValueInvalid']);
    assert.equal(errs[0]?.detail, 'min value 2 is greater than max value 1');
  });

  it('Endpoints addresses and ports', () => {
    const ep = object('v1', 'Endpoints', 'web', { subsets: [{ addresses: [{ ip: 'nope' }], ports: [{ port: 80, protocol: 'TCP' }, { port: 0, protocol: 'TCP', name: 'b' }] }] });
    assert.deepEqual(summarize(validateEndpoints(ep)), ['subsets[0].addresses[0].ip FieldValueInvalid', 'subsets[0].ports[0].name FieldValueRequired', 'subsets[0].ports[1].port FieldValueInvalid']);
  });

  it('Event involved object shares the namespace', () => {
    const ev = object('v1', 'Event', 'e1', { involvedObject: { kind: 'Pod', name: 'p', namespace: 'other' }, type: 'Normal' });
    assert.deepEqual(summarize(validateCoreEvent(ev)), ['involvedObject.namespace FieldValueInvalid']);
  });

  it('ReplicationController selector matches the template', () => {
    const rc = (selector: Record<string, string>) => object('v1', 'ReplicationController', 'rc', { spec: { replicas: 1, selector, template: template() } });
    assert.deepEqual(validateReplicationController(rc({ app: 'web' })), []);
    assert.deepEqual(summarize(validateReplicationController(rc({ app: 'db' }))), ['spec.template.metadata.labels FieldValueInvalid']);
  });
});

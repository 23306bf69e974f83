import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateService } from './service-validation.ts';
import { service, summarize } from './test-builders.ts';

const check = (spec: Record<string, unknown>, options = {}): string[] => summarize(validateService(service('web', spec), undefined, options));

describe('validateService', () => {
  it('accepts a ClusterIP service', () => {
    assert.deepEqual(check({}), []);
  });

  it('requires ports unless headless or ExternalName', () => {
    assert.deepEqual(check({ ports: [] }), ['spec.ports FieldValueRequired']);
    assert.deepEqual(check({ ports: [], clusterIP: 'None' }), []);
    assert.deepEqual(check({ ports: [], type: 'ExternalName', externalName: 'db.example.com' }), []);
  });

  it('checks port numbers, names and duplicates', () => {
    const ports = [{ port: 80, protocol: 'TCP', name: 'http' }, { port: 0, protocol: 'TCP' }, { port: 80, protocol: 'TCP', name: 'http' }];
    assert.deepEqual(check({ ports }), [
      'spec.ports[1].name FieldValueRequired',
      'spec.ports[1].port FieldValueInvalid',
      'spec.ports[2].name FieldValueDuplicate',
      'spec.ports[2] FieldValueDuplicate',
    ]);
  });

  it('checks type, targetPort and selector', () => {
    assert.deepEqual(check({ type: 'Magic', selector: { 'bad key': 'x' }, ports: [{ port: 80, protocol: 'TCP', targetPort: 'way-too-long-port-name' }] }), [
      'spec.ports[0].targetPort FieldValueInvalid',
      'spec.type FieldValueNotSupported',
      'spec.selector FieldValueInvalid',
    ]);
  });

  it('checks node ports against the configured range', () => {
    const ports = (nodePort: number) => [{ port: 80, protocol: 'TCP', nodePort }];
    assert.deepEqual(check({ type: 'NodePort', ports: ports(30080) }), []);
    const errs = validateService(service('web', { type: 'NodePort', ports: ports(80) }), undefined, {});
    assert.equal(errs[0]?.detail, 'provided port is not in the valid range. The range of valid ports is 30000-32767');
    assert.deepEqual(check({ type: 'NodePort', ports: ports(80) }, { serviceNodePortRange: { min: 1, max: 100 } }), []);
    assert.deepEqual(check({ ports: ports(30080) }), ['spec.ports[0].nodePort FieldValueForbidden']);
  });

  it('requires a DNS externalName for ExternalName services', () => {
    assert.deepEqual(check({ type: 'ExternalName' }), ['spec.externalName FieldValueRequired']);
    assert.deepEqual(check({ type: 'ExternalName', externalName: 'Not A Host' }), ['spec.externalName FieldValueInvalid']);
  });

  it('checks cluster IPs and traffic policy placement', () => {
    assert.deepEqual(check({ clusterIP: '10.0.0.300', externalTrafficPolicy: 'Local' }), ['spec.externalTrafficPolicy FieldValueInvalid', 'spec.clusterIPs[0] FieldValueInvalid']);
  });

  it('keeps clusterIP immutable on update, treating empty as unchanged', () => {
    const old = service('web', { clusterIP: '10.96.0.10' });
    assert.deepEqual(summarize(validateService(service('web', { clusterIP: '10.96.0.11' }), old, {})), ['spec.clusterIPs[0] FieldValueInvalid']);
    assert.deepEqual(validateService(service('web', {}), old, {}), []);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validatePod } from './pod-validation.ts';
import { container, pod, podSpec, summarize } from './test-builders.ts';

function specErrors(spec: Record<string, unknown>): string[] {
  return summarize(validatePod(pod('web', spec)));
}

describe('validatePod', () => {
  it('accepts a minimal pod', () => {
    assert.deepEqual(validatePod(pod()), []);
  });

  it('requires containers and images', () => {
    assert.deepEqual(specErrors({ ...podSpec(), containers: [] }), ['spec.containers FieldValueRequired']);
    assert.deepEqual(specErrors(podSpec({ name: 'app' })), ['spec.containers[0].image FieldValueRequired']);
  });

  it('requires unique DNS-label container names across init and regular containers', () => {
    const spec = { ...podSpec(container('app'), container('Bad_Name')), initContainers: [container('app')] };
    assert.deepEqual(specErrors(spec), ['spec.containers[0].name FieldValueDuplicate', 'spec.containers[1].name FieldValueInvalid']);
  });

  it('checks ports', () => {
    const ports = [{ containerPort: 80, protocol: 'TCP', name: 'http' }, { containerPort: 70000, protocol: 'TCP', name: 'http' }, { containerPort: 81, protocol: 'ICMP' }];
    const errs = validatePod(pod('web', podSpec({ ...container(), ports })));
    assert.deepEqual(summarize(errs), [
      'spec.containers[0].ports[1].name FieldValueDuplicate',
      'spec.containers[0].ports[1].containerPort FieldValueInvalid',
      'spec.containers[0].ports[2].protocol FieldValueNotSupported',
    ]);
    assert.equal(errs[1]?.detail, 'must be between 1 and 65535, inclusive');
    assert.equal(errs[2]?.detail, 'supported values: "SCTP", "TCP", "UDP"');
  });

  it('checks env names and valueFrom', () => {
    const env = [{ name: '1BAD', value: 'x' }, { name: 'OK', valueFrom: { fieldRef: { fieldPath: 'metadata.name' }, secretKeyRef: { key: 'k' } } }];
    assert.deepEqual(specErrors(podSpec({ ...container(), env })), ['spec.containers[0].env[0].name FieldValueInvalid', 'spec.containers[0].env[1].valueFrom FieldValueInvalid']);
  });

  it('checks volumes and mounts', () => {
    const spec = {
      ...podSpec({ ...container(), volumeMounts: [{ name: 'data', mountPath: '/data' }, { name: 'missing', mountPath: '/x' }] }),
      volumes: [{ name: 'data', emptyDir: {} }, { name: 'data', configMap: { name: 'c' }, secret: { secretName: 's' } }, { name: 'none' }],
    };
    assert.deepEqual(specErrors(spec), [
      'spec.volumes[1].name FieldValueDuplicate',
      'spec.volumes[1].configMap FieldValueForbidden',
      'spec.volumes[2] FieldValueRequired',
      'spec.containers[0].volumeMounts[1].name FieldValueNotFound',
    ]);
  });

  it('checks resources: valid quantities and requests within limits', () => {
    const resources = { requests: { cpu: '2', memory: 'lots' }, limits: { cpu: '1' } };
    const errs = validatePod(pod('web', podSpec({ ...container(), resources })));
    assert.deepEqual(summarize(errs), ['spec.containers[0].resources.requests[memory] FieldValueInvalid', 'spec.containers[0].resources.requests[cpu] FieldValueInvalid']);
    assert.equal(errs[1]?.detail, 'must be less than or equal to cpu limit of 1');
  });

  it('checks policy enums', () => {
    assert.deepEqual(specErrors({ ...podSpec(), restartPolicy: 'Sometimes', dnsPolicy: 'Weird' }), ['spec.restartPolicy FieldValueNotSupported', 'spec.dnsPolicy FieldValueNotSupported']);
  });

  it('checks probes', () => {
    const probe = { httpGet: { port: 80 }, exec: { command: ['true'] }, periodSeconds: -1 };
    assert.deepEqual(specErrors(podSpec({ ...container(), livenessProbe: probe, readinessProbe: {} })), [
      'spec.containers[0].livenessProbe.httpGet FieldValueForbidden',
      'spec.containers[0].livenessProbe.periodSeconds FieldValueInvalid',
      'spec.containers[0].readinessProbe FieldValueRequired',
    ]);
    assert.deepEqual(specErrors(podSpec({ ...container(), livenessProbe: { tcpSocket: { port: 'http' }, successThreshold: 2 } })), ['spec.containers[0].livenessProbe.successThreshold FieldValueInvalid']);
  });

  it('checks security context basics', () => {
    const spec = { ...podSpec({ ...container(), securityContext: { privileged: true, allowPrivilegeEscalation: false } }), securityContext: { runAsUser: -1 } };
    assert.deepEqual(specErrors(spec), ['spec.containers[0].securityContext FieldValueInvalid', 'spec.securityContext.runAsUser FieldValueInvalid']);
  });
});

describe('validatePod on update', () => {
  const old = pod('web', { ...podSpec(), activeDeadlineSeconds: 100, tolerations: [{ key: 'a', operator: 'Exists', effect: 'NoSchedule' }] });

  it('allows image changes, a shorter deadline and added tolerations', () => {
    const spec = { ...podSpec(container('app', 'nginx:1.26')), activeDeadlineSeconds: 50, tolerations: [{ key: 'a', operator: 'Exists', effect: 'NoSchedule' }, { key: 'b', operator: 'Exists' }] };
    assert.deepEqual(validatePod(pod('web', spec), old), []);
  });

  it('forbids other spec changes with upstream message', () => {
    const spec = { ...podSpec(), activeDeadlineSeconds: 100, tolerations: [{ key: 'a', operator: 'Exists', effect: 'NoSchedule' }], restartPolicy: 'Never' };
    const errs = validatePod(pod('web', spec), old);
    assert.deepEqual(summarize(errs), ['spec FieldValueForbidden']);
    assert.match(errs[0]?.detail ?? '', /^pod updates may not change fields other than `spec.containers\[\*\].image`/);
  });

  it('lets binding set nodeName once, but not move a bound pod', () => {
    const bound = pod('web', { ...(old.spec as Record<string, unknown>), nodeName: 'node-1' });
    assert.deepEqual(validatePod(bound, old), []);
    const moved = pod('web', { ...(old.spec as Record<string, unknown>), nodeName: 'node-2' });
    assert.deepEqual(summarize(validatePod(moved, bound)), ['spec FieldValueForbidden']);
  });

  it('forbids a longer deadline and removed tolerations', () => {
    const spec = { ...podSpec(), activeDeadlineSeconds: 200 };
    assert.deepEqual(summarize(validatePod(pod('web', spec), old)), ['spec.activeDeadlineSeconds FieldValueInvalid', 'spec.tolerations FieldValueForbidden']);
  });
});

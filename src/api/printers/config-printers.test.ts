import assert from 'node:assert/strict';
import { test } from 'node:test';
import { configMapPrinter, leasePrinter, namespacePrinter, resourceQuotaPrinter, secretPrinter, serviceAccountPrinter } from './config-printers.ts';
import { NOW, dur, headers, object } from './test-builders.ts';

test('configmap DATA counts data and binaryData keys', () => {
  assert.deepEqual(headers(configMapPrinter).normal, ['NAME', 'DATA', 'AGE']);
  const cm = object('v1', 'ConfigMap', 'settings', dur({ d: 2, h: 3 }), { data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } });
  assert.deepEqual(configMapPrinter.cells(cm, NOW), ['settings', 3, '2d3h']);
  assert.deepEqual(configMapPrinter.cells(object('v1', 'ConfigMap', 'empty', 0), NOW), ['empty', 0, '0s']);
});

test('secret TYPE DATA', () => {
  assert.deepEqual(headers(secretPrinter).normal, ['NAME', 'TYPE', 'DATA', 'AGE']);
  const s = object('v1', 'Secret', 'tls', dur({ m: 1 }), { type: 'kubernetes.io/tls', data: { 'tls.crt': 'x', 'tls.key': 'y' } });
  assert.deepEqual(secretPrinter.cells(s, NOW), ['tls', 'kubernetes.io/tls', 2, '60s']);
  const opaque = object('v1', 'Secret', 'o', 0, { type: 'Opaque', data: { a: 'x' }, stringData: { a: 'y', b: 'z' } });
  assert.equal(secretPrinter.cells(opaque, NOW)[2], 2);
});

test('serviceaccount SECRETS, namespace STATUS, lease HOLDER', () => {
  assert.deepEqual(serviceAccountPrinter.cells(object('v1', 'ServiceAccount', 'default', dur({ d: 45 })), NOW), ['default', 0, '45d']);
  const ns = object('v1', 'Namespace', 'dev', dur({ d: 800 }), { status: { phase: 'Active' } });
  assert.deepEqual(namespacePrinter.cells(ns, NOW), ['dev', 'Active', '2y70d']);
  const terminating = object('v1', 'Namespace', 'old', dur({ s: 3 }), { status: { phase: 'Terminating' } });
  assert.deepEqual(namespacePrinter.cells(terminating, NOW), ['old', 'Terminating', '3s']);
  const lease = object('coordination.k8s.io/v1', 'Lease', 'kube-scheduler', dur({ m: 30 }), { spec: { holderIdentity: 'node-1_abc' } });
  assert.deepEqual(leasePrinter.cells(lease, NOW), ['kube-scheduler', 'node-1_abc', '30m']);
});

test('resourcequota splits requests and limits, sorted by resource', () => {
  assert.deepEqual(headers(resourceQuotaPrinter).normal, ['NAME', 'REQUEST', 'LIMIT', 'AGE']);
  const quota = object('v1', 'ResourceQuota', 'compute', dur({ h: 2 }), {
    status: {
      hard: { 'requests.memory': '1Gi', pods: '10', 'limits.cpu': '2', 'requests.cpu': '1' },
      used: { 'requests.memory': '512Mi', pods: '3', 'requests.cpu': '500m' },
    },
  });
  assert.deepEqual(resourceQuotaPrinter.cells(quota, NOW), ['compute', 'pods: 3/10, requests.cpu: 500m/1, requests.memory: 512Mi/1Gi', 'limits.cpu: 0/2', '120m']);
});

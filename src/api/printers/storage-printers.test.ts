import assert from 'node:assert/strict';
import { test } from 'node:test';
import { persistentVolumeClaimPrinter, persistentVolumePrinter, storageClassPrinter } from './storage-printers.ts';
import { NOW, ago, cellMap, dur, headers, object } from './test-builders.ts';

test('pv columns and a bound volume', () => {
  assert.deepEqual(headers(persistentVolumePrinter), {
    normal: ['NAME', 'CAPACITY', 'ACCESS MODES', 'RECLAIM POLICY', 'STATUS', 'CLAIM', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'REASON', 'AGE'],
    wide: ['VOLUMEMODE'],
  });
  const pv = object('v1', 'PersistentVolume', 'pv-1', dur({ h: 4 }), {
    spec: {
      capacity: { storage: '10Gi' },
      accessModes: ['ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOnce'],
      persistentVolumeReclaimPolicy: 'Retain',
      claimRef: { namespace: 'default', name: 'data' },
      storageClassName: 'standard',
      volumeMode: 'Filesystem',
    },
    status: { phase: 'Bound' },
  });
  assert.deepEqual(persistentVolumePrinter.cells(pv, NOW), ['pv-1', '10Gi', 'RWO,RWX', 'Retain', 'Bound', 'default/data', 'standard', '<unset>', '', '4h', 'Filesystem']);
  const deleting = object('v1', 'PersistentVolume', 'pv-2', 0, { metadata: { deletionTimestamp: ago(0) }, spec: {}, status: { phase: 'Released' } });
  const cells = cellMap(persistentVolumePrinter, deleting);
  assert.deepEqual([cells.Capacity, cells.Status, cells.Claim, cells.VolumeMode], ['0', 'Terminating', '', '<unset>']);
});

test('pvc shows capacity and modes only once bound', () => {
  assert.deepEqual(headers(persistentVolumeClaimPrinter), {
    normal: ['NAME', 'STATUS', 'VOLUME', 'CAPACITY', 'ACCESS MODES', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'AGE'],
    wide: ['VOLUMEMODE'],
  });
  const pending = object('v1', 'PersistentVolumeClaim', 'data', dur({ m: 1 }), {
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: 'fast' },
    status: { phase: 'Pending' },
  });
  assert.deepEqual(persistentVolumeClaimPrinter.cells(pending, NOW), ['data', 'Pending', '', '', '', 'fast', '<unset>', '60s', '<unset>']);
  const bound = object('v1', 'PersistentVolumeClaim', 'data', dur({ m: 1 }), {
    metadata: { annotations: { 'volume.beta.kubernetes.io/storage-class': 'legacy' } },
    spec: { volumeName: 'pv-1', storageClassName: 'fast', volumeMode: 'Block', volumeAttributesClassName: 'gold' },
    status: { phase: 'Bound', capacity: { storage: '10Gi' }, accessModes: ['ReadWriteOncePod'] },
  });
  assert.deepEqual(persistentVolumeClaimPrinter.cells(bound, NOW), ['data', 'Bound', 'pv-1', '10Gi', 'RWOP', 'legacy', 'gold', '60s', 'Block']);
});

test('storageclass marks the default class and fills defaults', () => {
  assert.deepEqual(headers(storageClassPrinter).normal, ['NAME', 'PROVISIONER', 'RECLAIMPOLICY', 'VOLUMEBINDINGMODE', 'ALLOWVOLUMEEXPANSION', 'AGE']);
  const sc = object('storage.k8s.io/v1', 'StorageClass', 'local-path', dur({ d: 9 }), {
    metadata: { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
    provisioner: 'rancher.io/local-path',
    volumeBindingMode: 'WaitForFirstConsumer',
  });
  assert.deepEqual(storageClassPrinter.cells(sc, NOW), ['local-path (default)', 'rancher.io/local-path', 'Delete', 'WaitForFirstConsumer', false, '9d']);
  const plain = object('storage.k8s.io/v1', 'StorageClass', 'fast', 0, { provisioner: 'x', reclaimPolicy: 'Retain', allowVolumeExpansion: true });
  assert.deepEqual(storageClassPrinter.cells(plain, NOW).slice(0, 5), ['fast', 'x', 'Retain', 'Immediate', true]);
});

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import { isNotFound } from '../../src/client/api-error.ts';
import { R } from '../../src/client/resource-ref.ts';
import { runControllerManager } from '../../src/controllers/controller-manager.ts';
import { DirectoryProvisioner } from '../../src/controllers/volume-binder/directory-provisioner.ts';
import { createVolumeBinderController } from '../../src/controllers/volume-binder/volume-binder-controller.ts';
import { eventually } from '../support/eventually.ts';
import { startTestCluster, type TestCluster } from '../support/test-cluster.ts';

const NS = 'vol';

const claim = (name: string, storage: string, storageClassName?: string): PersistentVolumeClaim => ({
  metadata: { name, namespace: NS },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage } }, ...(storageClassName !== undefined ? { storageClassName } : {}) },
});

const volume = (name: string, storage: string, labels: Record<string, string> = {}): PersistentVolume => ({
  metadata: { name, labels },
  spec: { capacity: { storage }, accessModes: ['ReadWriteOnce'], storageClassName: 'manual', persistentVolumeReclaimPolicy: 'Retain', hostPath: { path: `/tmp/${name}` } },
});

/** PersistentVolume binding and DirectoryProvisioner-backed dynamic provisioning. */
describe('volume binder', () => {
  let cluster: TestCluster;
  let root: string;
  const stop = new AbortController();
  let manager: Promise<void>;

  const getClaim = (name: string) => cluster.client.get<PersistentVolumeClaim>(R.persistentvolumeclaims, NS, name);
  const getVolume = (name: string) => cluster.client.get<PersistentVolume>(R.persistentvolumes, undefined, name);

  before(async () => {
    cluster = await startTestCluster();
    root = await mkdtemp(join(tmpdir(), 'minato-volumes-'));
    await cluster.client.create(R.namespaces, { metadata: { name: NS } });
    const provisioner = new DirectoryProvisioner({ root, nodeName: 'node-1' });
    const volumebinder = (ctx: Parameters<typeof createVolumeBinderController>[0]) => createVolumeBinderController(ctx, { provisioners: [provisioner] });
    manager = runControllerManager({ client: cluster.client, leaderElection: false, controllers: { volumebinder } }, stop.signal);
  });

  after(async () => {
    stop.abort();
    await manager;
    await cluster.stop();
    await rm(root, { recursive: true, force: true });
  });

  it('binds a claim to the smallest fitting pre-made volume, and releases it when the claim goes', async () => {
    const { client } = cluster;
    await client.create(R.persistentvolumes, volume('pv-big', '10Gi'));
    await client.create(R.persistentvolumes, volume('pv-small', '2Gi'));
    await client.create(R.persistentvolumes, volume('pv-tiny', '500Mi'));
    await client.create(R.persistentvolumeclaims, claim('data', '1Gi', 'manual'));
    const bound = await eventually(async () => {
      const c = await getClaim('data');
      assert.equal(c.status?.phase, 'Bound');
      return c;
    });
    assert.equal(bound.spec?.volumeName, 'pv-small');
    assert.equal(bound.metadata?.annotations?.['pv.kubernetes.io/bind-completed'], 'yes');
    assert.equal(bound.metadata?.annotations?.['pv.kubernetes.io/bound-by-controller'], 'yes');
    assert.deepEqual(bound.status?.capacity, { storage: '2Gi' });
    const pv = await getVolume('pv-small');
    assert.equal(pv.status?.phase, 'Bound');
    assert.equal(pv.spec?.claimRef?.uid, bound.metadata?.uid);
    assert.equal(pv.metadata?.annotations?.['pv.kubernetes.io/bound-by-controller'], 'yes');
    await eventually(async () => assert.equal((await getVolume('pv-big')).status?.phase, 'Available'));

    await client.delete(R.persistentvolumeclaims, NS, 'data');
    await eventually(async () => assert.equal((await getVolume('pv-small')).status?.phase, 'Released'));
  });

  it('provisions a directory volume for a claim of an Immediate class and deletes it with the claim', async () => {
    const { client } = cluster;
    await client.create(R.storageclasses, { metadata: { name: 'local-dir', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }, provisioner: 'minato.io/local-directory', reclaimPolicy: 'Delete', volumeBindingMode: 'Immediate' });
    // No class named: the DefaultStorageClass admission picks local-dir.
    const created = await client.create<PersistentVolumeClaim>(R.persistentvolumeclaims, claim('dyn', '1Gi'));
    assert.equal(created.spec?.storageClassName, 'local-dir');
    const bound = await eventually(async () => {
      const c = await getClaim('dyn');
      assert.equal(c.status?.phase, 'Bound');
      return c;
    });
    const pvName = `pvc-${bound.metadata?.uid ?? ''}`;
    assert.equal(bound.spec?.volumeName, pvName);
    assert.equal(bound.metadata?.annotations?.['volume.kubernetes.io/storage-provisioner'], 'minato.io/local-directory');
    const pv = await getVolume(pvName);
    assert.equal(pv.spec?.local?.path, join(root, pvName));
    assert.deepEqual(pv.spec?.nodeAffinity?.required?.nodeSelectorTerms?.[0]?.matchExpressions?.[0]?.values, ['node-1']);
    assert.equal(pv.spec?.persistentVolumeReclaimPolicy, 'Delete');
    assert.equal(pv.metadata?.annotations?.['pv.kubernetes.io/provisioned-by'], 'minato.io/local-directory');
    assert.ok(existsSync(join(root, pvName)), 'volume directory missing');

    await client.delete(R.persistentvolumeclaims, NS, 'dyn');
    await eventually(async () => {
      const gone = await getVolume(pvName).then(
        () => false,
        (err: unknown) => isNotFound(err),
      );
      assert.ok(gone, 'volume still present');
    });
    assert.equal(existsSync(join(root, pvName)), false);
  });

  it('waits for the selected-node annotation before provisioning a WaitForFirstConsumer claim', async () => {
    const { client } = cluster;
    await client.create(R.storageclasses, { metadata: { name: 'local-wait' }, provisioner: 'minato.io/local-directory', volumeBindingMode: 'WaitForFirstConsumer' });
    await client.create(R.persistentvolumeclaims, claim('late', '1Gi', 'local-wait'));
    await eventually(async () => {
      const events = await client.list<{ reason?: string; involvedObject?: { name?: string } }>(R.events, { namespace: NS });
      assert.ok(events.items.some((e) => e.reason === 'WaitForFirstConsumer' && e.involvedObject?.name === 'late'), 'no WaitForFirstConsumer event yet');
    });
    const waiting = await getClaim('late');
    assert.equal(waiting.status?.phase, 'Pending');
    assert.equal(waiting.spec?.volumeName, undefined);
    // What the scheduler does once it has placed the consuming pod.
    await client.patch(R.persistentvolumeclaims, NS, 'late', 'merge', { metadata: { annotations: { 'volume.kubernetes.io/selected-node': 'node-7' } } });
    const bound = await eventually(async () => {
      const c = await getClaim('late');
      assert.equal(c.status?.phase, 'Bound');
      return c;
    });
    const pv = await getVolume(bound.spec?.volumeName ?? '');
    assert.deepEqual(pv.spec?.nodeAffinity?.required?.nodeSelectorTerms?.[0]?.matchExpressions?.[0]?.values, ['node-7']);
  });
});

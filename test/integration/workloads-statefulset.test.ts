import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ControllerRevision, StatefulSet, StatefulSetStatus } from 'kubernetes-types/apps/v1.js';
import type { PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import { Informer } from '../../src/client/informer.ts';
import { R } from '../../src/client/resource-ref.ts';
import { createStatefulSetController } from '../../src/controllers/statefulset/statefulset-controller.ts';
import { startWorkloadCluster, waitFor, type WorkloadCluster } from './workloads-harness.ts';

const sts = (name: string, replicas: number): StatefulSet => ({
  metadata: { name, namespace: 'default' },
  spec: {
    replicas,
    serviceName: name,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'db', image: 'mysql:8', volumeMounts: [{ name: 'data', mountPath: '/var/lib/mysql' }] }] } },
    volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
  },
});

const ready = (p: Pod) => !p.metadata?.deletionTimestamp && (p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false);

/** kubectl's rollout status for a RollingUpdate StatefulSet. */
function rolledOut(s: StatefulSet): boolean {
  const st: StatefulSetStatus = s.status ?? { replicas: 0 };
  const want = s.spec?.replicas ?? 1;
  if ((st.observedGeneration ?? 0) < (s.metadata?.generation ?? 0) || (st.readyReplicas ?? 0) < want) return false;
  const partition = s.spec?.updateStrategy?.rollingUpdate?.partition ?? 0;
  if (partition > 0) return (st.updatedReplicas ?? 0) >= want - partition;
  return st.updateRevision === st.currentRevision;
}

describe('StatefulSet controller', () => {
  let c: WorkloadCluster;
  const adds: string[] = [];
  const updatedOrder: string[] = [];
  const ctl = new AbortController();
  before(async () => {
    c = await startWorkloadCluster({ statefulset: createStatefulSetController });
    const inf = new Informer<Pod>(c.client, R.pods, { namespace: 'default', labelSelector: 'app=db' });
    inf.on({ add: (p) => adds.push(p.metadata?.name ?? '') });
    void inf.run(ctl.signal);
    await inf.waitForSync();
  });
  after(async () => {
    ctl.abort();
    await c.stop();
  });

  const get = () => c.client.get<StatefulSet>(R.statefulsets, 'default', 'db');
  const pod = (name: string) => c.client.get<Pod>(R.pods, 'default', name);

  it('creates pods in order, each only after the previous is Ready, with claims made first', async () => {
    c.kubelet.holdReady = (p) => p.metadata?.name === 'db-1';
    await c.client.create(R.statefulsets, sts('db', 3));
    await waitFor(() => pod('db-1'), (p) => p.spec?.nodeName !== undefined, 'db-1 scheduled').catch(() => undefined);
    await waitFor(() => pod('db-0'), ready, 'db-0 ready');
    await new Promise((r) => setTimeout(r, 400));
    await assert.rejects(pod('db-2'), /not found/, 'db-2 waits for db-1 to be Ready');
    c.kubelet.holdReady = () => false;
    c.kubelet.poke();
    const s = await waitFor(get, (x) => x.status?.readyReplicas === 3 && rolledOut(x), 'three ready');
    assert.deepEqual(adds.slice(0, 3), ['db-0', 'db-1', 'db-2']);
    const p1 = await pod('db-1');
    assert.equal(p1.metadata?.labels?.['statefulset.kubernetes.io/pod-name'], 'db-1');
    assert.equal(p1.metadata?.labels?.['apps.kubernetes.io/pod-index'], '1');
    assert.equal(p1.metadata?.labels?.['controller-revision-hash'], s.status?.updateRevision);
    assert.equal(p1.spec?.hostname, 'db-1');
    assert.equal(p1.spec?.subdomain, 'db');
    assert.deepEqual(p1.spec?.volumes?.find((v) => v.name === 'data')?.persistentVolumeClaim, { claimName: 'data-db-1' });
    const claims = (await c.client.list<PersistentVolumeClaim>(R.persistentvolumeclaims, { namespace: 'default' })).items.map((x) => x.metadata?.name).sort();
    assert.deepEqual(claims, ['data-db-0', 'data-db-1', 'data-db-2']);
    assert.equal(s.status?.currentRevision, s.status?.updateRevision);
    assert.deepEqual([s.status?.replicas, s.status?.currentReplicas, s.status?.updatedReplicas, s.status?.availableReplicas], [3, 3, 3, 3]);
  });

  it('recreates a deleted pod with the same name and the same claim', async () => {
    const old = await pod('db-1');
    await c.client.delete(R.pods, 'default', 'db-1');
    const fresh = await waitFor(() => pod('db-1').catch(() => undefined), (p) => p !== undefined && p.metadata?.uid !== old.metadata?.uid && ready(p), 'db-1 recreated');
    assert.deepEqual(fresh?.spec?.volumes?.find((v) => v.name === 'data')?.persistentVolumeClaim, { claimName: 'data-db-1' });
    const claim = await c.client.get<PersistentVolumeClaim>(R.persistentvolumeclaims, 'default', 'data-db-1');
    assert.ok(claim.metadata?.uid, 'the same claim is still there');
  });

  it('rolls a partitioned update only above the partition, then the rest in reverse ordinal order', async () => {
    const inf = new Informer<Pod>(c.client, R.pods, { namespace: 'default', labelSelector: 'app=db' });
    const rctl = new AbortController();
    await c.client.patch(R.statefulsets, 'default', 'db', 'merge', { spec: { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } } });
    await c.client.patch(R.statefulsets, 'default', 'db', 'strategic', { spec: { template: { spec: { containers: [{ name: 'db', image: 'mysql:9' }] } } } });
    const s = await waitFor(get, (x) => x.status?.updatedReplicas === 1 && x.status.readyReplicas === 3 && rolledOut(x), 'partitioned rollout');
    assert.notEqual(s.status?.currentRevision, s.status?.updateRevision);
    assert.equal((await pod('db-2')).spec?.containers?.[0]?.image, 'mysql:9');
    assert.equal((await pod('db-1')).spec?.containers?.[0]?.image, 'mysql:8');
    assert.equal((await pod('db-0')).spec?.containers?.[0]?.image, 'mysql:8');
    inf.on({ add: (p) => p.spec?.containers?.[0]?.image === 'mysql:9' && updatedOrder.push(p.metadata?.name ?? '') });
    void inf.run(rctl.signal);
    await inf.waitForSync();
    updatedOrder.length = 0;
    await c.client.patch(R.statefulsets, 'default', 'db', 'merge', { spec: { updateStrategy: { rollingUpdate: { partition: 0 } } } });
    const done = await waitFor(get, (x) => x.status?.updatedReplicas === 3 && rolledOut(x), 'full rollout');
    rctl.abort();
    assert.deepEqual(updatedOrder, ['db-1', 'db-0'], 'reverse ordinal order');
    assert.equal(done.status?.currentRevision, done.status?.updateRevision);
    assert.equal(done.status?.currentReplicas, 3);
  });

  it('keeps history in ControllerRevisions; undo restores the old template and renumbers its revision', async () => {
    const set = await get();
    const revs = (await c.client.list<ControllerRevision>(R.controllerrevisions, { namespace: 'default' })).items.filter((r) => r.metadata?.ownerReferences?.[0]?.uid === set.metadata?.uid);
    assert.deepEqual(revs.map((r) => r.revision).sort(), [1, 2]);
    const first = revs.find((r) => r.revision === 1);
    // What `kubectl rollout undo sts/db` sends: the revision's data as a strategic merge patch.
    await c.client.patch(R.statefulsets, 'default', 'db', 'strategic', first?.data);
    const s = await waitFor(get, (x) => x.status?.updateRevision === first?.metadata?.name && x.status?.updatedReplicas === 3 && rolledOut(x), 'rolled back');
    assert.equal(s.spec?.template?.spec?.containers?.[0]?.image, 'mysql:8');
    const renumbered = await c.client.get<ControllerRevision>(R.controllerrevisions, 'default', first?.metadata?.name ?? '');
    assert.equal(renumbered.revision, 3);
  });

  it('scales down from the highest ordinal and keeps the claims', async () => {
    await c.client.patch(R.statefulsets, 'default', 'db', 'merge', { spec: { replicas: 1 } });
    await waitFor(get, (x) => x.status?.replicas === 1 && x.status.readyReplicas === 1, 'scaled to 1');
    await assert.rejects(pod('db-1'), /not found/);
    const claims = (await c.client.list<PersistentVolumeClaim>(R.persistentvolumeclaims, { namespace: 'default' })).items.map((x) => x.metadata?.name).sort();
    assert.deepEqual(claims, ['data-db-0', 'data-db-1', 'data-db-2'], 'Retain keeps claims of removed ordinals');
  });

  it('Parallel creates every pod without waiting for readiness', async () => {
    c.kubelet.holdReady = (p) => p.metadata?.labels?.app === 'par';
    const obj = sts('par', 3);
    obj.spec = { ...obj.spec, podManagementPolicy: 'Parallel' } as StatefulSet['spec'];
    await c.client.create(R.statefulsets, obj);
    await waitFor(() => c.client.list<Pod>(R.pods, { namespace: 'default', labelSelector: 'app=par' }), (l) => l.items.length === 3, 'three pods without readiness');
    c.kubelet.holdReady = () => false;
    c.kubelet.poke();
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { R } from '../../src/client/resource-ref.ts';
import { createReplicaSetController } from '../../src/controllers/replicaset/replicaset-controller.ts';
import { startWorkloadCluster, waitFor, type WorkloadCluster } from './workloads-harness.ts';

const rs = (name: string, replicas: number): ReplicaSet => ({
  metadata: { name, namespace: 'default' },
  spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name, tier: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
});

describe('ReplicaSet controller', () => {
  let c: WorkloadCluster;
  before(async () => (c = await startWorkloadCluster({ replicaset: createReplicaSetController })));
  after(() => c.stop());

  const podsOf = async (app: string) => (await c.client.list<Pod>(R.pods, { namespace: 'default', labelSelector: `app=${app}` })).items.filter((p) => !p.metadata?.deletionTimestamp);

  it('creates owned pods named after the ReplicaSet, reports status, and scales down', async () => {
    const created = await c.client.create<ReplicaSet>(R.replicasets, rs('web', 3));
    const st = await waitFor(() => c.client.get<ReplicaSet>(R.replicasets, 'default', 'web'), (r) => r.status?.readyReplicas === 3 && r.status?.availableReplicas === 3, 'three ready');
    assert.equal(st.status?.replicas, 3);
    assert.equal(st.status?.fullyLabeledReplicas, 3);
    assert.equal(st.status?.observedGeneration, created.metadata?.generation);
    const pods = await podsOf('web');
    assert.equal(pods.length, 3);
    for (const p of pods) {
      assert.match(p.metadata?.name ?? '', /^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      assert.deepEqual(p.metadata?.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: created.metadata?.uid, controller: true, blockOwnerDeletion: true }]);
      assert.equal(p.metadata?.labels?.tier, 'web');
    }
    await c.client.patch(R.replicasets, 'default', 'web', 'merge', { spec: { replicas: 1 } });
    await waitFor(() => podsOf('web'), (p) => p.length === 1, 'scale down to 1');
    await waitFor(() => c.client.get<ReplicaSet>(R.replicasets, 'default', 'web'), (r) => r.status?.replicas === 1, 'status replicas 1');
  });

  it('scales down not-ready pods first', async () => {
    c.kubelet.holdReady = (p) => p.metadata?.labels?.hold === 'yes';
    await c.client.create<ReplicaSet>(R.replicasets, rs('order', 2));
    await waitFor(() => c.client.get<ReplicaSet>(R.replicasets, 'default', 'order'), (r) => r.status?.readyReplicas === 2, 'two ready');
    const ready = (await podsOf('order')).map((p) => p.metadata?.name);
    // A third pod that will never be Ready: scaling back to 2 must remove it, not a Ready one.
    await c.client.patch(R.replicasets, 'default', 'order', 'merge', { spec: { replicas: 3, template: { metadata: { labels: { app: 'order', tier: 'web', hold: 'yes' } } } } });
    await waitFor(() => podsOf('order'), (p) => p.length === 3, 'three pods');
    await c.client.patch(R.replicasets, 'default', 'order', 'merge', { spec: { replicas: 2 } });
    const left = await waitFor(() => podsOf('order'), (p) => p.length === 2, 'two pods');
    assert.deepEqual(left.map((p) => p.metadata?.name).sort(), [...ready].sort());
    c.kubelet.holdReady = () => false;
  });

  it('adopts matching orphans, releases pods whose labels stop matching, and replaces deleted pods', async () => {
    await c.client.create(R.pods, { metadata: { name: 'orphan', namespace: 'default', labels: { app: 'adopt' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    const owner = await c.client.create<ReplicaSet>(R.replicasets, rs('adopt', 2));
    const adopted = await waitFor(() => c.client.get<Pod>(R.pods, 'default', 'orphan'), (p) => p.metadata?.ownerReferences?.[0]?.uid === owner.metadata?.uid, 'adoption');
    assert.equal(adopted.metadata?.ownerReferences?.[0]?.controller, true);
    await waitFor(() => podsOf('adopt'), (p) => p.length === 2, 'one pod created beside the adopted one');
    await c.client.patch(R.pods, 'default', 'orphan', 'merge', { metadata: { labels: { app: 'gone' } } });
    await waitFor(() => c.client.get<Pod>(R.pods, 'default', 'orphan'), (p) => !p.metadata?.ownerReferences?.length, 'release');
    await waitFor(() => podsOf('adopt'), (p) => p.length === 2, 'replacement for the released pod');
    const victim = (await podsOf('adopt'))[0]?.metadata?.name ?? '';
    await c.client.delete(R.pods, 'default', victim);
    await waitFor(() => podsOf('adopt'), (p) => p.length === 2 && !p.some((x) => x.metadata?.name === victim), 'replacement for the deleted pod');
  });

  it('honours minReadySeconds for availableReplicas', async () => {
    const obj = rs('slow', 1);
    obj.spec = { ...obj.spec, minReadySeconds: 1 } as ReplicaSet['spec'];
    await c.client.create(R.replicasets, obj);
    const early = await waitFor(() => c.client.get<ReplicaSet>(R.replicasets, 'default', 'slow'), (r) => r.status?.readyReplicas === 1, 'ready');
    assert.equal(early.status?.availableReplicas ?? 0, 0, 'ready but not yet available');
    await waitFor(() => c.client.get<ReplicaSet>(R.replicasets, 'default', 'slow'), (r) => r.status?.availableReplicas === 1, 'available after minReadySeconds');
  });
});

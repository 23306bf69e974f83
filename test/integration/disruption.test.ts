import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import { ApiError } from '../../src/client/api-error.ts';
import { R } from '../../src/client/resource-ref.ts';
import { runControllerManager } from '../../src/controllers/controller-manager.ts';
import { createDisruptionController } from '../../src/controllers/disruption/disruption-controller.ts';
import { eventually } from '../support/eventually.ts';
import { startTestCluster, type TestCluster } from '../support/test-cluster.ts';

const NS = 'pdb';

/** PodDisruptionBudget status from the disruption controller and the Eviction API honouring it. */
describe('disruption budgets and eviction', () => {
  let cluster: TestCluster;
  const stop = new AbortController();
  let manager: Promise<void>;

  /** Creates a pod and marks it Running and Ready, as a kubelet would. */
  async function readyPod(name: string, labels: Record<string, string>, ownerReferences?: OwnerReference[]): Promise<void> {
    const created = await cluster.client.create<Pod>(R.pods, { metadata: { name, namespace: NS, labels, ...(ownerReferences ? { ownerReferences } : {}) }, spec: { nodeName: 'node-1', containers: [{ name: 'app', image: 'nginx' }] } });
    await cluster.client.updateStatus(R.pods, { ...created, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } });
  }

  const budget = (name: string) => cluster.client.get<PodDisruptionBudget>(R.poddisruptionbudgets, NS, name);
  const evict = (name: string) => cluster.client.createSubresource(R.pods, NS, name, 'eviction', { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: NS } });

  before(async () => {
    cluster = await startTestCluster();
    await cluster.client.create(R.namespaces, { metadata: { name: NS } });
    manager = runControllerManager({ client: cluster.client, leaderElection: false, controllers: { disruption: createDisruptionController } }, stop.signal);
  });

  after(async () => {
    stop.abort();
    await manager;
    await cluster.stop();
  });

  it('refuses an eviction with 429 until the budget allows one, then charges it', async () => {
    await readyPod('web-1', { app: 'web' });
    await readyPod('web-2', { app: 'web' });
    await cluster.client.create(R.poddisruptionbudgets, { metadata: { name: 'web', namespace: NS }, spec: { minAvailable: 2, selector: { matchLabels: { app: 'web' } } } });
    const settled = await eventually(async () => {
      const b = await budget('web');
      assert.equal(b.status?.observedGeneration, 1);
      assert.equal(b.status?.currentHealthy, 2);
      return b;
    });
    assert.equal(settled.status?.desiredHealthy, 2);
    assert.equal(settled.status?.expectedPods, 2);
    assert.equal(settled.status?.disruptionsAllowed, 0);
    assert.deepEqual(settled.status?.conditions?.map((c) => [c.type, c.status, c.reason]), [['DisruptionAllowed', 'False', 'InsufficientPods']]);

    const refused = await evict('web-1').then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(refused instanceof ApiError);
    assert.equal(refused.code, 429);
    assert.equal(refused.reason, 'TooManyRequests');
    assert.equal(refused.message, "Cannot evict pod as it would violate the pod's disruption budget.");
    const details = refused.status?.details as { causes?: Array<{ reason?: string; message?: string }> };
    assert.deepEqual(details.causes, [{ reason: 'DisruptionBudget', message: 'The disruption budget web needs 2 healthy pods and has 2 currently' }]);
    await cluster.client.get(R.pods, NS, 'web-1');

    // Scaling up (what the ReplicaSet controller would do) gives the budget room for one eviction.
    await readyPod('web-3', { app: 'web' });
    await eventually(async () => assert.equal((await budget('web')).status?.disruptionsAllowed, 1));
    await evict('web-1');
    const charged = await budget('web');
    assert.equal(charged.status?.disruptionsAllowed, 0);
    const second = await evict('web-2').then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(second instanceof ApiError && second.code === 429);
    await eventually(async () => {
      const b = await budget('web');
      assert.equal(b.status?.currentHealthy, 2);
      assert.equal(b.status?.disruptionsAllowed, 0);
      assert.equal(b.status?.disruptedPods, undefined);
    });
  });

  it('sizes maxUnavailable percentages from the owning Deployment and lets terminal pods go', async () => {
    const deploy = await cluster.client.create<{ metadata: { uid: string } }>(R.deployments, {
      metadata: { name: 'api', namespace: NS },
      spec: { replicas: 4, selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } } },
    });
    const rs = await cluster.client.create<{ metadata: { uid: string } }>(R.replicasets, {
      metadata: { name: 'api-abc', namespace: NS, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'api', uid: deploy.metadata.uid, controller: true }] },
      spec: { replicas: 4, selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } } },
    });
    const owner = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'api-abc', uid: rs.metadata.uid, controller: true }];
    for (const n of ['a', 'b', 'c']) await readyPod(`api-${n}`, { app: 'api' }, owner);
    await cluster.client.create(R.poddisruptionbudgets, { metadata: { name: 'api', namespace: NS }, spec: { maxUnavailable: '50%', selector: { matchLabels: { app: 'api' } } } });
    const b = await eventually(async () => {
      const got = await budget('api');
      assert.equal(got.status?.currentHealthy, 3);
      return got;
    });
    assert.equal(b.status?.expectedPods, 4);
    assert.equal(b.status?.desiredHealthy, 2);
    assert.equal(b.status?.disruptionsAllowed, 1);
  });
});

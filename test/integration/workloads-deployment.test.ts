import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { Informer } from '../../src/client/informer.ts';
import { R } from '../../src/client/resource-ref.ts';
import { createDeploymentController } from '../../src/controllers/deployment/deployment-controller.ts';
import { createReplicaSetController } from '../../src/controllers/replicaset/replicaset-controller.ts';
import { startWorkloadCluster, waitFor, type WorkloadCluster } from './workloads-harness.ts';

const REVISION = 'deployment.kubernetes.io/revision';

function deployment(name: string, replicas: number, strategy: Deployment['spec'] extends infer S ? (S extends { strategy?: infer T } ? T : never) : never, extra: Partial<NonNullable<Deployment['spec']>> = {}): Deployment {
  return {
    metadata: { name, namespace: 'default' },
    spec: { replicas, selector: { matchLabels: { app: name } }, strategy, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } }, ...extra },
  };
}

/** kubectl's rollout status test (polymorphichelpers/rollout_status.go). */
function rolloutDone(d: Deployment): boolean {
  const s = d.status ?? {};
  const want = d.spec?.replicas ?? 1;
  return (d.metadata?.generation ?? 0) <= (s.observedGeneration ?? 0) && (s.updatedReplicas ?? 0) >= want && (s.replicas ?? 0) <= (s.updatedReplicas ?? 0) && (s.availableReplicas ?? 0) >= (s.updatedReplicas ?? 0);
}

const live = (p: Pod) => !p.metadata?.deletionTimestamp;
const ready = (p: Pod) => live(p) && (p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false);

/** Watches an app's pods and records, after every event, how many are available and how many exist. */
function observe(c: WorkloadCluster, app: string) {
  const ctl = new AbortController();
  const inf = new Informer<Pod>(c.client, R.pods, { namespace: 'default', labelSelector: `app=${app}` });
  const samples: Array<{ available: number; live: number; hashes: Set<string> }> = [];
  const sample = () => {
    // The initial list arrives as one add per pod: only states after it are real.
    if (!inf.hasSynced()) return;
    const pods = inf.list();
    samples.push({ available: pods.filter(ready).length, live: pods.filter(live).length, hashes: new Set(pods.map((p) => p.metadata?.labels?.['pod-template-hash'] ?? '')) });
  };
  inf.on({ add: sample, update: sample, delete: sample });
  void inf.run(ctl.signal);
  return { samples, ready: () => inf.waitForSync(), stop: () => ctl.abort() };
}

describe('Deployment controller', () => {
  let c: WorkloadCluster;
  before(async () => (c = await startWorkloadCluster({ replicaset: createReplicaSetController, deployment: createDeploymentController })));
  after(() => c.stop());

  const get = (name: string) => c.client.get<Deployment>(R.deployments, 'default', name);
  const rsList = async (app: string) => (await c.client.list<ReplicaSet>(R.replicasets, { namespace: 'default', labelSelector: `app=${app}` })).items;
  const done = (name: string) => waitFor(() => get(name), (d) => rolloutDone(d) && d.status?.conditions?.some((x) => x.reason === 'NewReplicaSetAvailable') === true, `${name} rolled out`, 20_000);

  it('creates one ReplicaSet per template, named and labelled by the template hash, with revision 1', async () => {
    const created = await c.client.create<Deployment>(R.deployments, deployment('web', 4, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } }));
    const d = await done('web');
    const [rs, ...others] = await rsList('web');
    assert.equal(others.length, 0);
    const hash = rs?.metadata?.labels?.['pod-template-hash'] ?? '';
    assert.match(hash, /^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    assert.equal(rs?.metadata?.name, `web-${hash}`);
    assert.equal(rs?.spec?.selector?.matchLabels?.['pod-template-hash'], hash);
    assert.equal(rs?.spec?.template?.metadata?.labels?.['pod-template-hash'], hash);
    assert.deepEqual(rs?.metadata?.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: created.metadata?.uid, controller: true, blockOwnerDeletion: true }]);
    assert.equal(rs?.metadata?.annotations?.[REVISION], '1');
    assert.equal(rs?.metadata?.annotations?.['deployment.kubernetes.io/desired-replicas'], '4');
    assert.equal(rs?.metadata?.annotations?.['deployment.kubernetes.io/max-replicas'], '5');
    assert.equal(d.metadata?.annotations?.[REVISION], '1');
    assert.deepEqual(
      { replicas: d.status?.replicas, updated: d.status?.updatedReplicas, ready: d.status?.readyReplicas, available: d.status?.availableReplicas, unavailable: d.status?.unavailableReplicas ?? 0 },
      { replicas: 4, updated: 4, ready: 4, available: 4, unavailable: 0 },
    );
    const available = d.status?.conditions?.find((x) => x.type === 'Available');
    assert.equal(available?.status, 'True');
    assert.equal(available?.reason, 'MinimumReplicasAvailable');
    assert.equal(d.status?.conditions?.find((x) => x.type === 'Progressing')?.message, `ReplicaSet "web-${hash}" has successfully progressed.`);
  });

  it('rolls an update out without ever dropping below replicas - maxUnavailable available pods or above replicas + maxSurge', async () => {
    const obs = observe(c, 'web');
    await obs.ready();
    const before = await rsList('web');
    await c.client.patch(R.deployments, 'default', 'web', 'strategic', { metadata: { annotations: { 'kubernetes.io/change-cause': 'image nginx:2' } }, spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:2' }] } } } });
    const d = await done('web');
    obs.stop();
    const minAvailable = Math.min(...obs.samples.map((x) => x.available));
    const maxLive = Math.max(...obs.samples.map((x) => x.live));
    assert.ok(obs.samples.length > 10, `watched ${obs.samples.length} pod events`);
    assert.ok(minAvailable >= 3, `available pods fell to ${minAvailable} (maxUnavailable 1 of 4)`);
    assert.ok(maxLive <= 5, `live pods rose to ${maxLive} (maxSurge 1 over 4)`);
    const after = await rsList('web');
    assert.equal(after.length, 2);
    const old = after.find((rs) => rs.metadata?.uid === before[0]?.metadata?.uid);
    const fresh = after.find((rs) => rs !== old);
    assert.equal(old?.spec?.replicas, 0);
    assert.equal(fresh?.spec?.replicas, 4);
    assert.equal(fresh?.metadata?.annotations?.[REVISION], '2');
    assert.equal(fresh?.metadata?.annotations?.['kubernetes.io/change-cause'], 'image nginx:2');
    assert.equal(d.metadata?.annotations?.[REVISION], '2');
  });

  it('resolves percentages as upstream: 25% of 10 is a surge of 3 (rounded up) and 2 unavailable (rounded down)', async () => {
    await c.client.create(R.deployments, deployment('pct', 10, { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } }));
    await done('pct');
    const obs = observe(c, 'pct');
    await obs.ready();
    await c.client.patch(R.deployments, 'default', 'pct', 'strategic', { spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:2' }] } } } });
    await done('pct');
    obs.stop();
    const rss = await rsList('pct');
    assert.ok(rss.every((rs) => rs.metadata?.annotations?.['deployment.kubernetes.io/max-replicas'] === '13'));
    assert.ok(Math.min(...obs.samples.map((x) => x.available)) >= 8, 'never below 10 - 2 available');
    assert.ok(Math.max(...obs.samples.map((x) => x.live)) <= 13, 'never above 10 + 3 pods');
    await c.client.delete(R.deployments, 'default', 'pct');
  });

  it('rollout undo (the template patched back) reuses the old ReplicaSet and moves it to revision 3', async () => {
    const rss = await rsList('web');
    const rev1 = rss.find((rs) => rs.metadata?.annotations?.[REVISION] === '1');
    assert.ok(rev1);
    // What `kubectl rollout undo` sends: the old ReplicaSet's template without pod-template-hash.
    const template = structuredClone(rev1.spec?.template ?? {});
    delete template.metadata?.labels?.['pod-template-hash'];
    await c.client.patch(R.deployments, 'default', 'web', 'json', [{ op: 'replace', path: '/spec/template', value: template }]);
    const d = await done('web');
    const after = await rsList('web');
    assert.equal(after.length, 2, 'no new ReplicaSet');
    const reused = after.find((rs) => rs.metadata?.uid === rev1.metadata?.uid);
    assert.equal(reused?.metadata?.annotations?.[REVISION], '3');
    assert.equal(reused?.spec?.replicas, 4);
    assert.equal(reused?.metadata?.annotations?.['deployment.kubernetes.io/revision-history'], '1');
    assert.equal(d.metadata?.annotations?.[REVISION], '3');
    assert.equal(d.spec?.template?.spec?.containers?.[0]?.image, 'nginx:1');
  });

  it('scales up and down', async () => {
    await c.client.patch(R.deployments, 'default', 'web', 'merge', { spec: { replicas: 6 } });
    await waitFor(() => get('web'), (d) => d.status?.availableReplicas === 6 && rolloutDone(d), 'scaled to 6');
    await c.client.patch(R.deployments, 'default', 'web', 'merge', { spec: { replicas: 2 } });
    const d = await waitFor(() => get('web'), (x) => x.status?.replicas === 2 && rolloutDone(x), 'scaled to 2');
    assert.equal(d.status?.availableReplicas, 2);
    const pods = (await c.client.list<Pod>(R.pods, { namespace: 'default', labelSelector: 'app=web' })).items.filter(live);
    assert.equal(pods.length, 2);
  });

  it('Recreate removes every old pod before the first new one exists', async () => {
    await c.client.create(R.deployments, deployment('re', 3, { type: 'Recreate' }));
    await done('re');
    const obs = observe(c, 're');
    await obs.ready();
    await c.client.patch(R.deployments, 'default', 're', 'strategic', { spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:2' }] } } } });
    await done('re');
    obs.stop();
    assert.ok(obs.samples.every((x) => x.hashes.size <= 1), 'old and new pods never coexisted');
    assert.equal(Math.min(...obs.samples.map((x) => x.available)), 0, 'Recreate goes through zero');
  });

  it('keeps only revisionHistoryLimit old ReplicaSets', async () => {
    await c.client.create(R.deployments, deployment('hist', 1, { type: 'RollingUpdate' }, { revisionHistoryLimit: 1 }));
    await done('hist');
    for (const image of ['nginx:2', 'nginx:3', 'nginx:4']) {
      await c.client.patch(R.deployments, 'default', 'hist', 'strategic', { spec: { template: { spec: { containers: [{ name: 'c', image }] } } } });
      await done('hist');
    }
    const rss = await waitFor(() => rsList('hist'), (l) => l.length === 2, 'history trimmed to 1 old ReplicaSet');
    assert.deepEqual(rss.map((rs) => rs.metadata?.annotations?.[REVISION]).sort(), ['3', '4']);
  });

  it('does not roll out while paused, and does once resumed', async () => {
    await c.client.create(R.deployments, deployment('pause', 2, { type: 'RollingUpdate' }));
    await done('pause');
    await c.client.patch(R.deployments, 'default', 'pause', 'merge', { spec: { paused: true } });
    await waitFor(() => get('pause'), (d) => d.status?.conditions?.some((x) => x.reason === 'DeploymentPaused') === true, 'paused condition');
    await c.client.patch(R.deployments, 'default', 'pause', 'strategic', { spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:2' }] } } } });
    await new Promise((r) => setTimeout(r, 500));
    assert.equal((await rsList('pause')).length, 1, 'no new ReplicaSet while paused');
    await c.client.patch(R.deployments, 'default', 'pause', 'merge', { spec: { paused: false } });
    await done('pause');
    assert.equal((await rsList('pause')).length, 2);
  });

  it('rollout restart (a template annotation) rolls out a new ReplicaSet', async () => {
    await c.client.patch(R.deployments, 'default', 'pause', 'strategic', { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-01-01T00:00:00Z' } } } } });
    await done('pause');
    const rss = await rsList('pause');
    assert.equal(rss.length, 3);
    assert.ok(rss.some((rs) => rs.spec?.template?.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt'] && rs.spec.replicas === 2));
  });

  it('reports ProgressDeadlineExceeded when new pods never become ready', async () => {
    c.kubelet.holdReady = (p) => p.metadata?.labels?.app === 'stuck' && p.spec?.containers?.[0]?.image === 'broken';
    await c.client.create(R.deployments, deployment('stuck', 2, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } }, { progressDeadlineSeconds: 1 }));
    await done('stuck');
    await c.client.patch(R.deployments, 'default', 'stuck', 'strategic', { spec: { template: { spec: { containers: [{ name: 'c', image: 'broken' }] } } } });
    const d = await waitFor(() => get('stuck'), (x) => x.status?.conditions?.some((y) => y.reason === 'ProgressDeadlineExceeded') === true, 'deadline exceeded', 10_000);
    const p = d.status?.conditions?.find((x) => x.type === 'Progressing');
    assert.equal(p?.status, 'False');
    assert.match(p?.message ?? '', /^ReplicaSet "stuck-\w+" has timed out progressing\.$/);
    assert.equal(d.status?.availableReplicas, 2, 'maxUnavailable 0 kept the old pods');
    c.kubelet.holdReady = () => false;
  });
});

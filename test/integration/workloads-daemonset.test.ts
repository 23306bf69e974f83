import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DaemonSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { Informer } from '../../src/client/informer.ts';
import { R } from '../../src/client/resource-ref.ts';
import { createDaemonSetController } from '../../src/controllers/daemonset/daemonset-controller.ts';
import { startWorkloadCluster, waitFor, type WorkloadCluster } from './workloads-harness.ts';

const ds = (name: string, extra: Partial<NonNullable<DaemonSet['spec']>> = {}): DaemonSet => ({
  metadata: { name, namespace: 'default' },
  spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'agent', image: 'agent:1' }] } }, ...extra },
});

const live = (p: Pod) => !p.metadata?.deletionTimestamp;
const ready = (p: Pod) => live(p) && (p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false);

describe('DaemonSet controller', () => {
  let c: WorkloadCluster;
  before(async () => {
    c = await startWorkloadCluster({ daemonset: createDaemonSetController }, 3);
    await c.addNode('tainted', { spec: { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] } });
    await c.addNode('cordoned', { spec: { unschedulable: true, taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] } });
  });
  after(() => c.stop());

  const podsOf = async (app: string) => (await c.client.list<Pod>(R.pods, { namespace: 'default', labelSelector: `app=${app}` })).items.filter(live);
  const get = (name: string) => c.client.get<DaemonSet>(R.daemonsets, 'default', name);

  it('places one pod per eligible node through node affinity, skipping untolerated taints, and reacts to a new node', async () => {
    await c.client.create(R.daemonsets, ds('agent'));
    const s = await waitFor(() => get('agent'), (d) => d.status?.numberReady === 4 && d.status.numberAvailable === 4, 'four daemon pods');
    assert.equal(s.status?.desiredNumberScheduled, 4, 'three plain nodes and the cordoned one (daemons tolerate unschedulable)');
    assert.equal(s.status?.currentNumberScheduled, 4);
    assert.equal(s.status?.updatedNumberScheduled, 4);
    assert.equal(s.status?.numberMisscheduled, 0);
    const pods = await podsOf('agent');
    assert.deepEqual(pods.map((p) => p.spec?.nodeName).sort(), ['cordoned', 'node-0', 'node-1', 'node-2']);
    for (const p of pods) {
      const term = p.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms?.[0];
      assert.deepEqual(term, { matchFields: [{ key: 'metadata.name', operator: 'In', values: [p.spec?.nodeName ?? ''] }] });
      assert.ok(p.spec?.tolerations?.some((t) => t.key === 'node.kubernetes.io/not-ready' && t.effect === 'NoExecute'));
      assert.ok(p.metadata?.labels?.['controller-revision-hash']);
    }
    await c.addNode('node-new');
    await waitFor(() => podsOf('agent'), (l) => l.some((p) => p.spec?.nodeName === 'node-new' && ready(p)), 'a pod on the new node');
    await waitFor(() => get('agent'), (d) => d.status?.desiredNumberScheduled === 5 && d.status.numberReady === 5, 'status counts the new node');
  });

  it('honours nodeSelector and tolerations', async () => {
    await c.client.patch(R.nodes, undefined, 'node-1', 'merge', { metadata: { labels: { disk: 'ssd' } } });
    await c.client.create(R.daemonsets, ds('ssd', { template: { metadata: { labels: { app: 'ssd' } }, spec: { nodeSelector: { disk: 'ssd' }, containers: [{ name: 'a', image: 'a' }] } } }));
    await c.client.create(R.daemonsets, ds('gpu', { template: { metadata: { labels: { app: 'gpu' } }, spec: { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }], containers: [{ name: 'a', image: 'a' }] } } }));
    const ssd = await waitFor(() => podsOf('ssd'), (l) => l.length === 1 && l.every(ready), 'ssd daemon');
    assert.equal(ssd[0]?.spec?.nodeName, 'node-1');
    const gpu = await waitFor(() => podsOf('gpu'), (l) => l.length === 6 && l.every(ready), 'gpu daemon everywhere incl. the tainted node');
    assert.ok(gpu.some((p) => p.spec?.nodeName === 'tainted'));
    // The label goes away: the pod there is now misscheduled and removed.
    await c.client.patch(R.nodes, undefined, 'node-1', 'merge', { metadata: { labels: { disk: null } } });
    await waitFor(() => podsOf('ssd'), (l) => l.length === 0, 'ssd daemon removed');
  });

  it('rolls an update node by node within maxUnavailable', async () => {
    const inf = new Informer<Pod>(c.client, R.pods, { namespace: 'default', labelSelector: 'app=agent' });
    const ctl = new AbortController();
    let minReady = Infinity;
    const sample = () => inf.hasSynced() && (minReady = Math.min(minReady, inf.list().filter(ready).length));
    inf.on({ add: sample, update: sample, delete: sample });
    void inf.run(ctl.signal);
    await inf.waitForSync();
    await c.client.patch(R.daemonsets, 'default', 'agent', 'strategic', { spec: { template: { spec: { containers: [{ name: 'agent', image: 'agent:2' }] } } } });
    const s = await waitFor(() => get('agent'), (d) => d.status?.updatedNumberScheduled === 5 && d.status.numberAvailable === 5 && (d.status.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0), 'rolled out', 20_000);
    ctl.abort();
    assert.ok(minReady >= 4, `ready daemon pods fell to ${minReady} (maxUnavailable 1 of 5)`);
    const pods = await podsOf('agent');
    assert.equal(pods.length, 5);
    assert.ok(pods.every((p) => p.spec?.containers?.[0]?.image === 'agent:2'));
    assert.equal(s.status?.numberMisscheduled, 0);
  });
});

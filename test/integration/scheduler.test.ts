import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Event, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import { R } from '../../src/client/resource-ref.ts';
import { runScheduler } from '../../src/scheduler/scheduler.ts';
import { SELECTED_NODE_ANNOTATION } from '../../src/scheduler/plugins/volume-binding.ts';
import { startTestCluster, type TestCluster } from '../support/test-cluster.ts';
import { boundNode, eventually, getPod, patchNode, pod, podPhase, PRIORITY_CLASSES, startSimNodes, unschedulableMessage } from './scheduling-helpers.ts';

interface Env {
  cluster: TestCluster;
  signal: AbortSignal;
}

/** A fresh cluster with the scheduler (under leader election) and `count` 2-cpu simulated nodes in two zones. */
async function withScheduler(count: number, fn: (env: Env) => Promise<void>): Promise<void> {
  const cluster = await startTestCluster({ bookmarkIntervalMs: 500 });
  const abort = new AbortController();
  try {
    await startSimNodes({ client: cluster.client, count, zones: ['zone-a', 'zone-b'], shape: { cpu: '2', pods: '10' } }, abort.signal);
    void runScheduler({ client: cluster.client, queue: { initialBackoffMs: 100, maxBackoffMs: 500 } }, abort.signal);
    await fn({ cluster, signal: abort.signal });
  } finally {
    abort.abort();
    await cluster.stop();
  }
}

test('resources fit: a pod that fits nowhere pends with FailedScheduling, then lands on a node with room', async () => {
  await withScheduler(1, async ({ cluster: { client }, signal }) => {
    await client.create(R.pods, pod('a').cpu('1500m').obj());
    assert.equal(await boundNode(client, 'a'), 'sim-node-0');
    await client.create(R.pods, pod('b').cpu('1').obj());
    const msg = await unschedulableMessage(client, 'b');
    assert.equal(msg, '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.');
    const events = await client.list<Event>(R.events, { namespace: 'default' });
    const failed = events.items.find((e) => e.reason === 'FailedScheduling' && e.involvedObject.name === 'b');
    assert.equal(failed?.type, 'Warning');
    assert.equal(failed?.message, msg);
    await startSimNodes({ client, count: 1, namePrefix: 'roomy-', shape: { cpu: '4' } }, signal);
    assert.equal(await boundNode(client, 'b'), 'roomy-0');
    const running = await podPhase(client, 'b', 'Running');
    assert.equal(running.status?.conditions?.find((c) => c.type === 'PodScheduled')?.status, 'True');
  });
});

test('pod count is a resource: the 11th pod does not fit a 10-pod node', async () => {
  await withScheduler(1, async ({ cluster: { client } }) => {
    for (let i = 0; i < 10; i++) await client.create(R.pods, pod(`p${i}`).obj());
    for (let i = 0; i < 10; i++) await boundNode(client, `p${i}`);
    await client.create(R.pods, pod('extra').obj());
    assert.match(await unschedulableMessage(client, 'extra'), /^0\/1 nodes are available: 1 Too many pods\./);
  });
});

test('nodeSelector and required node affinity', async () => {
  await withScheduler(3, async ({ cluster: { client } }) => {
    await patchNode(client, 'sim-node-1', { metadata: { labels: { disk: 'ssd' } } });
    await client.create(R.pods, pod('ssd').spec({ nodeSelector: { disk: 'ssd' } }).obj());
    assert.equal(await boundNode(client, 'ssd'), 'sim-node-1');
    const notZoneA = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'NotIn', values: ['zone-a'] }] }] } } };
    for (let i = 0; i < 3; i++) await client.create(R.pods, pod(`b${i}`).spec({ affinity: notZoneA }).obj());
    for (let i = 0; i < 3; i++) assert.equal(await boundNode(client, `b${i}`), 'sim-node-1');
    await client.create(R.pods, pod('nowhere').spec({ nodeSelector: { disk: 'nvme' } }).obj());
    assert.match(await unschedulableMessage(client, 'nowhere'), /^0\/3 nodes are available: 3 node\(s\) didn't match Pod's node affinity\/selector\. preemption: 0\/3 nodes are available: 3 Preemption is not helpful for scheduling\.$/);
  });
});

test('pod anti-affinity spreads over hostnames; pod affinity co-locates', async () => {
  await withScheduler(3, async ({ cluster: { client } }) => {
    const anti = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'web' } } }] } };
    const nodes = new Set<string>();
    for (let i = 0; i < 3; i++) {
      await client.create(R.pods, pod(`web${i}`).label('app', 'web').spec({ affinity: anti }).obj());
      nodes.add(await boundNode(client, `web${i}`));
    }
    assert.equal(nodes.size, 3);
    await client.create(R.pods, pod('web3').label('app', 'web').spec({ affinity: anti }).obj());
    assert.match(await unschedulableMessage(client, 'web3'), /3 node\(s\) didn't satisfy existing pods anti-affinity rules/);
    const near = { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'db' } } }] } };
    await client.create(R.pods, pod('db').label('app', 'db').obj());
    const dbNode = await boundNode(client, 'db');
    await client.create(R.pods, pod('cache').spec({ affinity: near }).obj());
    assert.equal(await boundNode(client, 'cache'), dbNode);
    // An existing pod's anti-affinity keeps matching pods off its node.
    await client.create(R.pods, pod('loner').label('role', 'x').spec({ affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'topology.kubernetes.io/zone', labelSelector: { matchLabels: { role: 'x' } } }] } } }).obj());
    const lonerZone = (await boundNode(client, 'loner')) === 'sim-node-1' ? 'zone-b' : 'zone-a';
    await client.create(R.pods, pod('follower').label('role', 'x').obj());
    const followerNode = await boundNode(client, 'follower');
    const followerZone = followerNode === 'sim-node-1' ? 'zone-b' : 'zone-a';
    assert.notEqual(followerZone, lonerZone);
  });
});

test('taints, tolerations and cordoned nodes', async () => {
  await withScheduler(3, async ({ cluster: { client } }) => {
    await patchNode(client, 'sim-node-0', { spec: { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] } });
    await patchNode(client, 'sim-node-1', { spec: { unschedulable: true } });
    for (let i = 0; i < 3; i++) await client.create(R.pods, pod(`p${i}`).obj());
    for (let i = 0; i < 3; i++) assert.equal(await boundNode(client, `p${i}`), 'sim-node-2');
    await client.create(R.pods, pod('gpu').spec({ nodeSelector: { 'kubernetes.io/hostname': 'sim-node-0' }, tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] }).obj());
    assert.equal(await boundNode(client, 'gpu'), 'sim-node-0');
    await patchNode(client, 'sim-node-2', { spec: { taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] } });
    await client.create(R.pods, pod('stuck').obj());
    const msg = await unschedulableMessage(client, 'stuck');
    assert.match(msg, /^0\/3 nodes are available: 1 node\(s\) had untolerated taint \{dedicated: db\}, 1 node\(s\) had untolerated taint \{dedicated: gpu\}, 1 node\(s\) were unschedulable\./);
    await patchNode(client, 'sim-node-1', { spec: { unschedulable: null } });
    assert.equal(await boundNode(client, 'stuck'), 'sim-node-1');
  });
});

test('topology spread over zones (DoNotSchedule) and hostnames (ScheduleAnyway)', async () => {
  await withScheduler(4, async ({ cluster: { client } }) => {
    const spread = [
      { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 's' } } },
      { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: 's' } } },
    ];
    // Only zone-a may take pods for a while: the second zone-a pod would skew zones by 2.
    await patchNode(client, 'sim-node-1', { spec: { unschedulable: true } });
    await patchNode(client, 'sim-node-3', { spec: { unschedulable: true } });
    await client.create(R.pods, pod('s0').label('app', 's').spec({ topologySpreadConstraints: spread }).obj());
    await boundNode(client, 's0');
    await client.create(R.pods, pod('s1').label('app', 's').spec({ topologySpreadConstraints: spread }).obj());
    assert.match(await unschedulableMessage(client, 's1'), /didn't match pod topology spread constraints/);
    await patchNode(client, 'sim-node-1', { spec: { unschedulable: null } });
    await patchNode(client, 'sim-node-3', { spec: { unschedulable: null } });
    for (let i = 2; i < 8; i++) await client.create(R.pods, pod(`s${i}`).label('app', 's').spec({ topologySpreadConstraints: spread }).obj());
    const perZone = new Map<string, number>();
    const perNode = new Map<string, number>();
    for (let i = 0; i < 8; i++) {
      const node = await boundNode(client, `s${i}`);
      const zone = Number(node.slice(-1)) % 2 === 0 ? 'zone-a' : 'zone-b';
      perZone.set(zone, (perZone.get(zone) ?? 0) + 1);
      perNode.set(node, (perNode.get(node) ?? 0) + 1);
    }
    assert.deepEqual([...perZone.values()], [4, 4]);
    assert.deepEqual([...perNode.values()].sort(), [2, 2, 2, 2]);
  });
});

test('preemption: a high-priority pod evicts a lower-priority one and takes its node', async () => {
  await withScheduler(1, async ({ cluster: { client } }) => {
    await client.create(PRIORITY_CLASSES, { metadata: { name: 'low' }, value: 10 });
    await client.create(PRIORITY_CLASSES, { metadata: { name: 'high' }, value: 1000 });
    await client.create(R.pods, pod('low').cpu('1500m').spec({ priorityClassName: 'low' }).obj());
    await podPhase(client, 'low', 'Running');
    await client.create(R.pods, pod('never').cpu('1500m').spec({ priorityClassName: 'high', preemptionPolicy: 'Never' }).obj());
    assert.match(await unschedulableMessage(client, 'never'), /preemption: not eligible due to preemptionPolicy=Never\.$/);
    await client.delete(R.pods, 'default', 'never', { gracePeriodSeconds: 0 });
    const uid = (await client.create<Pod>(R.pods, pod('high').cpu('1500m').spec({ priorityClassName: 'high' }).obj())).metadata?.uid;
    assert.equal(await boundNode(client, 'high'), 'sim-node-0');
    await eventually('low pod gone', async () => getPod(client, 'low').then(() => false, () => true));
    const events = await client.list<Event>(R.events, { namespace: 'default' });
    assert.ok(events.items.some((e) => e.reason === 'Preempted' && e.involvedObject.name === 'low' && e.message === `Preempted by pod ${uid ?? ''} on node sim-node-0`));
  });
});

test('volume binding: WaitForFirstConsumer claims get the selected node; a missing claim is reported', async () => {
  await withScheduler(2, async ({ cluster: { client } }) => {
    await client.create(R.storageclasses, { metadata: { name: 'local-wffc' }, provisioner: 'minato.io/local', volumeBindingMode: 'WaitForFirstConsumer' });
    await client.create(R.persistentvolumeclaims, { metadata: { name: 'data', namespace: 'default' }, spec: { storageClassName: 'local-wffc', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } });
    const volumes = [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }];
    await client.create(R.pods, pod('user').spec({ volumes }).obj());
    const node = await boundNode(client, 'user');
    const claim = await client.get<PersistentVolumeClaim>(R.persistentvolumeclaims, 'default', 'data');
    assert.equal(claim.metadata?.annotations?.[SELECTED_NODE_ANNOTATION], node);
    await client.create(R.pods, pod('orphan').spec({ volumes: [{ name: 'x', persistentVolumeClaim: { claimName: 'missing' } }] }).obj());
    assert.match(await unschedulableMessage(client, 'orphan'), /^0\/2 nodes are available: persistentvolumeclaim "missing" not found\./);
    // A bound volume pins the pod to the PV's node.
    await client.create(R.persistentvolumes, { metadata: { name: 'pv1' }, spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/tmp/pv1' }, nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['sim-node-1'] }] }] } } } });
    await client.create(R.persistentvolumeclaims, { metadata: { name: 'pinned', namespace: 'default' }, spec: { storageClassName: '', volumeName: 'pv1', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } });
    for (let i = 0; i < 3; i++) await client.create(R.pods, pod(`pinned${i}`).spec({ volumes: [{ name: 'v', persistentVolumeClaim: { claimName: 'pinned' } }] }).obj());
    for (let i = 0; i < 3; i++) assert.equal(await boundNode(client, `pinned${i}`), 'sim-node-1');
  });
});

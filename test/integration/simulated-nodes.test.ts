import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type { Node } from 'kubernetes-types/core/v1.js';
import { R } from '../../src/client/resource-ref.ts';
import { EXIT_CODE_ANNOTATION } from '../../src/node/simulated/pod-status.ts';
import { startTestCluster } from '../support/test-cluster.ts';
import { eventually, getPod, pod, podPhase, startSimNodes } from './scheduling-helpers.ts';

test('simulated nodes register, heartbeat and run pods through a kubelet\'s phases', async () => {
  const cluster = await startTestCluster({ bookmarkIntervalMs: 500 });
  const abort = new AbortController();
  const { client } = cluster;
  try {
    await startSimNodes({ client, count: 3, zones: ['zone-a', 'zone-b'], heartbeatIntervalMs: 300, timings: { startDelayMs: 50, runDurationMs: 300, deleteDelayMs: 50 } }, abort.signal);
    const nodes = await client.list<Node>(R.nodes, { labelSelector: 'type=simulated' });
    assert.deepEqual(nodes.items.map((n) => n.metadata?.name).sort(), ['sim-node-0', 'sim-node-1', 'sim-node-2']);
    const n1 = nodes.items.find((n) => n.metadata?.name === 'sim-node-1');
    assert.equal(n1?.metadata?.labels?.['topology.kubernetes.io/zone'], 'zone-b');
    assert.equal(n1?.metadata?.labels?.['kubernetes.io/hostname'], 'sim-node-1');
    assert.equal(n1?.status?.capacity?.pods, '110');
    assert.equal(n1?.status?.conditions?.find((c) => c.type === 'Ready')?.status, 'True');

    const first = await client.get<Lease>(R.leases, 'kube-node-lease', 'sim-node-0');
    assert.equal(first.spec?.holderIdentity, 'sim-node-0');
    await eventually('lease renewed', async () => (await client.get<Lease>(R.leases, 'kube-node-lease', 'sim-node-0')).spec?.renewTime !== first.spec?.renewTime);

    // Bound pods (here by nodeName, no scheduler) become Running and Ready with IPs and container statuses.
    await client.create(R.pods, pod('web').spec({ nodeName: 'sim-node-2' }).obj());
    const web = await podPhase(client, 'web', 'Running');
    assert.match(web.status?.podIP ?? '', /^10\.\d+\.\d+\.\d+$/);
    const n2 = nodes.items.find((n) => n.metadata?.name === 'sim-node-2');
    assert.equal(web.status?.hostIP, n2?.status?.addresses?.find((a) => a.type === 'InternalIP')?.address);
    assert.equal(web.status?.conditions?.find((c) => c.type === 'Ready')?.status, 'True');
    assert.ok(web.status?.containerStatuses?.[0]?.state?.running);
    assert.ok(web.status?.startTime);

    // Run-to-completion pods finish: 0 → Succeeded, the annotation's code → Failed.
    await client.create(R.pods, pod('job').spec({ nodeName: 'sim-node-0', restartPolicy: 'Never' }).obj());
    await client.create(R.pods, pod('bad').annotate(EXIT_CODE_ANNOTATION, '3').spec({ nodeName: 'sim-node-0', restartPolicy: 'Never' }).obj());
    const done = await podPhase(client, 'job', 'Succeeded');
    assert.equal(done.status?.containerStatuses?.[0]?.state?.terminated?.reason, 'Completed');
    const bad = await podPhase(client, 'bad', 'Failed');
    assert.equal(bad.status?.containerStatuses?.[0]?.state?.terminated?.exitCode, 3);

    // OnFailure pods that fail are restarted in place.
    await client.create(R.pods, pod('retry').annotate(EXIT_CODE_ANNOTATION, '1').spec({ nodeName: 'sim-node-1', restartPolicy: 'OnFailure' }).obj());
    await eventually('restarted', async () => ((await getPod(client, 'retry')).status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1);

    // Graceful deletion is finished by the node.
    await client.delete(R.pods, 'default', 'web');
    assert.ok((await getPod(client, 'web')).metadata?.deletionTimestamp);
    await eventually('pod deleted', async () => getPod(client, 'web').then(() => false, () => true));
  } finally {
    abort.abort();
    await cluster.stop();
  }
});

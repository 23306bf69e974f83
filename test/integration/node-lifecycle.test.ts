import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { R } from '../../src/client/resource-ref.ts';
import { runControllerManager } from '../../src/controllers/controller-manager.ts';
import { createNodeLifecycleController } from '../../src/controllers/nodelifecycle/node-lifecycle-controller.ts';
import { startTestCluster } from '../support/test-cluster.ts';
import { eventually, getNode, getPod, pod, podPhase, startSimNodes } from './scheduling-helpers.ts';

const UNREACHABLE = 'node.kubernetes.io/unreachable';

test('a node whose Lease stops renewing goes Unknown, is tainted, loses its pods after tolerationSeconds, and recovers', async () => {
  const cluster = await startTestCluster({ bookmarkIntervalMs: 500 });
  const { client } = cluster;
  const abort = new AbortController();
  const lost = new AbortController();
  const fast = { heartbeatIntervalMs: 300, timings: { startDelayMs: 50, deleteDelayMs: 50 } };
  try {
    await startSimNodes({ client, count: 1, namePrefix: 'steady-', ...fast }, abort.signal);
    await startSimNodes({ client, count: 1, namePrefix: 'lost-', ...fast }, lost.signal);
    void runControllerManager({ client, leaderElection: false, controllers: { nodelifecycle: (ctx) => createNodeLifecycleController(ctx, { gracePeriodMs: 1500 }) } }, abort.signal);

    // DefaultTolerationSeconds gives every pod 300 s; one pod asks for 1 s, one tolerates forever.
    await client.create(R.pods, pod('default-300').spec({ nodeName: 'lost-0' }).obj());
    await client.create(R.pods, pod('quick').spec({ nodeName: 'lost-0', tolerations: [{ key: UNREACHABLE, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 1 }] }).obj());
    await client.create(R.pods, pod('forever').spec({ nodeName: 'lost-0', tolerations: [{ key: UNREACHABLE, operator: 'Exists', effect: 'NoExecute' }] }).obj());
    const admitted = await podPhase(client, 'default-300', 'Running');
    assert.deepEqual(
      admitted.spec?.tolerations?.map((t) => `${t.key}:${t.effect}:${t.tolerationSeconds}`),
      ['node.kubernetes.io/not-ready:NoExecute:300', 'node.kubernetes.io/unreachable:NoExecute:300'],
    );
    await podPhase(client, 'quick', 'Running');

    // A healthy node is left alone past the grace period.
    await new Promise((r) => setTimeout(r, 2000));
    assert.equal((await getNode(client, 'lost-0')).spec?.taints, undefined);

    lost.abort();
    const tainted = await eventually('lost node tainted', async () => {
      const n = await getNode(client, 'lost-0');
      return n.spec?.taints?.some((t) => t.key === UNREACHABLE && t.effect === 'NoExecute') ? n : undefined;
    });
    const ready = tainted.status?.conditions?.find((c) => c.type === 'Ready');
    assert.equal(ready?.status, 'Unknown');
    assert.equal(ready?.reason, 'NodeStatusUnknown');
    assert.deepEqual(tainted.spec?.taints?.map((t) => `${t.key}:${t.effect}`).sort(), [`${UNREACHABLE}:NoExecute`, `${UNREACHABLE}:NoSchedule`]);
    assert.equal((await getNode(client, 'steady-0')).spec?.taints, undefined);

    // Bound pods on an unreachable node are deleted gracefully (they stay Terminating: no kubelet to finish).
    const evicted = await eventually('quick pod evicted', async () => ((await getPod(client, 'quick')).metadata?.deletionTimestamp ? true : undefined), 5000);
    assert.ok(evicted);
    assert.equal((await getPod(client, 'default-300')).metadata?.deletionTimestamp, undefined);
    assert.equal((await getPod(client, 'forever')).metadata?.deletionTimestamp, undefined);

    // The node comes back: Ready again, taints removed; its kubelet finishes the pending deletion.
    await startSimNodes({ client, count: 1, namePrefix: 'lost-', ...fast }, abort.signal);
    const back = await eventually('taints removed', async () => {
      const n = await getNode(client, 'lost-0');
      return n.spec?.taints === undefined ? n : undefined;
    });
    assert.equal(back.status?.conditions?.find((c) => c.type === 'Ready')?.status, 'True');
    await eventually('quick pod gone', async () => getPod(client, 'quick').then(() => false, () => true));
    const left = await client.list<Pod>(R.pods, { namespace: 'default', fieldSelector: 'spec.nodeName=lost-0' });
    assert.deepEqual(left.items.map((p) => p.metadata?.name).sort(), ['default-300', 'forever']);
  } finally {
    lost.abort();
    abort.abort();
    await cluster.stop();
  }
});

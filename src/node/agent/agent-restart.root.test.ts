import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { R } from '../../client/resource-ref.ts';
import { cgroupLeftovers, hostCgroupFs } from '../runtime/runc/cgroups.ts';
import { busyboxPod, eventually, startAgentHarness, type AgentHarness } from './testing/agent-harness.ts';

const running = (h: AgentHarness, name: string) => eventually(`${name} Running`, async () => {
  const p = await h.getPod(name);
  return p.status?.phase === 'Running' && p.status.containerStatuses?.[0]?.ready ? p : undefined;
});
const cid = (p: Pod) => p.status?.containerStatuses?.[0]?.containerID ?? '';

describe('node agent restart and clean-up (root)', () => {
  let h: AgentHarness;

  before(async () => {
    h = await startAgentHarness();
    await h.startAgent();
  });

  after(async () => {
    const leftovers = await h?.stop();
    assert.deepEqual(leftovers, { containers: [], netns: [], mounts: [], processes: [], cgroups: [] }, 'host is clean');
  });

  it('adopts running containers after an agent restart and removes pods deleted meanwhile', async () => {
    await h.createPod(busyboxPod('keep', ['sleep', '3600']));
    await h.createPod(busyboxPod('orphan', ['sleep', '3600']));
    const keep = await running(h, 'keep');
    const orphan = await running(h, 'orphan');
    await h.stopAgent();
    // While no agent runs, the orphan's object disappears for good.
    await h.cluster.client.delete(R.pods, 'default', 'orphan', { gracePeriodSeconds: 0 });
    const beforeRestart = await h.runtime.listContainers();
    assert.equal(beforeRestart.filter((c) => c.state === 'running').length, 2, 'containers outlive the agent');

    await h.startAgent();
    await new Promise((r) => setTimeout(r, 1500)); // a few sync periods
    const after = await h.getPod('keep');
    assert.equal(cid(after), cid(keep), 'same container');
    assert.equal(after.status?.containerStatuses?.[0]?.restartCount, 0);
    assert.equal(after.status?.containerStatuses?.[0]?.state?.running?.startedAt, keep.status?.containerStatuses?.[0]?.state?.running?.startedAt);
    assert.equal(after.status?.podIP, keep.status?.podIP);
    assert.equal(after.status?.phase, 'Running');
    const left = await h.runtime.listContainers();
    assert.deepEqual(left.map((c) => c.podName), ['keep'], 'the orphan container is gone, no new one was made');
    assert.equal(existsSync(`/run/netns/${h.network.netnsName(orphan.metadata?.uid ?? '')}`), false, 'orphan netns removed');
  });

  it('deleting a pod removes its containers, netns and cgroups', async () => {
    const pod = await h.getPod('keep');
    const uid = pod.metadata?.uid ?? '';
    await h.cluster.client.delete(R.pods, 'default', 'keep');
    await eventually('pod object gone', async () => h.getPod('keep').then(() => undefined, () => true));
    assert.deepEqual(await h.runtime.listContainers(), []);
    assert.equal(existsSync(`/run/netns/${h.network.netnsName(uid)}`), false);
    assert.deepEqual(await cgroupLeftovers(hostCgroupFs, `/minato-${h.id}/${uid}`), []);
  });
});

import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { R } from '../../client/resource-ref.ts';
import { cgroupLeftovers, hostCgroupFs } from '../runtime/runc/cgroups.ts';
import { BUSYBOX_2, busyboxPod, eventually, startAgentHarness, type AgentHarness } from './testing/agent-harness.ts';

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

  it('replaces a container whose image changed, and records events', async () => {
    const before = await h.getPod('keep');
    const updated = structuredClone(before);
    const c = updated.spec?.containers[0];
    if (c) c.image = BUSYBOX_2;
    await h.cluster.client.update(R.pods, updated);
    const after = await eventually('replaced container', async () => {
      const p = await h.getPod('keep');
      const cs = p.status?.containerStatuses?.[0];
      return cs?.image === BUSYBOX_2 && cs.state?.running && cid(p) !== cid(before) ? p : undefined;
    });
    assert.equal(after.status?.containerStatuses?.[0]?.restartCount, 1);
    const events = await h.cluster.client.list<{ reason?: string; involvedObject?: { uid?: string } }>(R.events, { namespace: 'default' });
    const reasons = events.items.filter((e) => e.involvedObject?.uid === before.metadata?.uid).map((e) => e.reason);
    for (const r of ['Pulled', 'Created', 'Started']) assert.ok(reasons.includes(r), `${r} in ${reasons.join(',')}`);
  });

  it('fails a pod past its activeDeadlineSeconds with DeadlineExceeded', async () => {
    await h.createPod(busyboxPod('deadline', ['sleep', '3600'], { activeDeadlineSeconds: 2 }));
    const pod = await eventually('DeadlineExceeded', async () => {
      const p = await h.getPod('deadline');
      return p.status?.phase === 'Failed' ? p : undefined;
    });
    assert.equal(pod.status?.reason, 'DeadlineExceeded');
    assert.ok(pod.status?.containerStatuses?.[0]?.state?.terminated);
    await h.cluster.client.delete(R.pods, 'default', 'deadline');
    await eventually('deadline pod gone', async () => h.getPod('deadline').then(() => undefined, () => true));
  });

  it('runs hostNetwork pods in the host network namespace', async () => {
    await h.createPod(busyboxPod('hostnet', ['sleep', '3600'], { hostNetwork: true }));
    const pod = await running(h, 'hostnet');
    assert.equal(pod.status?.podIP, pod.status?.hostIP);
    assert.equal(existsSync(`/run/netns/${h.network.netnsName(pod.metadata?.uid ?? '')}`), false, 'no pod netns');
    await h.cluster.client.delete(R.pods, 'default', 'hostnet');
    await eventually('hostnet gone', async () => h.getPod('hostnet').then(() => undefined, () => true));
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

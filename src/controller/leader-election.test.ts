import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import { startTestCluster, type TestCluster } from '../../test/support/test-cluster.ts';
import { R } from '../client/resource-ref.ts';
import { runWithLeaderElection } from './leader-election.ts';

async function until(cond: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('leader election on a Lease', () => {
  let cluster: TestCluster;
  before(async () => (cluster = await startTestCluster()));
  after(() => cluster.stop());

  it('lets only one candidate lead, and hands over once the leader stops renewing', async () => {
    const leading = new Set<string>();
    let overlap = false;
    const stops = new Map<string, AbortController>();
    const candidate = (identity: string) => {
      const ctl = new AbortController();
      stops.set(identity, ctl);
      const cfg = { client: cluster.client, name: 'test-election', namespace: 'default', identity, leaseDurationMs: 1000, renewIntervalMs: 100 };
      return runWithLeaderElection(cfg, ctl.signal, async (signal) => {
        leading.add(identity);
        if (leading.size > 1) overlap = true;
        await new Promise<void>((r) => signal.addEventListener('abort', () => r(), { once: true }));
        leading.delete(identity);
      });
    };
    const runs = [candidate('a'), candidate('b')];
    await until(() => leading.size === 1, 'a leader');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(leading.size, 1, 'still exactly one leader after several renewals');
    const first = [...leading][0] as string;
    const second = first === 'a' ? 'b' : 'a';
    const lease = await cluster.client.get<Lease>(R.leases, 'default', 'test-election');
    assert.equal(lease.spec?.holderIdentity, first);

    // The leader stops renewing (its process goes away): the other waits out the lease, then takes over.
    const stoppedAt = Date.now();
    stops.get(first)?.abort();
    await until(() => leading.has(second), 'takeover');
    const waited = Date.now() - stoppedAt;
    assert.ok(waited >= 900, `took over after ${waited} ms, not before the 1 s lease expired`);
    const taken = await cluster.client.get<Lease>(R.leases, 'default', 'test-election');
    assert.equal(taken.spec?.holderIdentity, second);
    assert.equal(taken.spec?.leaseTransitions, 1);
    assert.equal(overlap, false, 'never two leaders at once');
    stops.get(second)?.abort();
    await Promise.all(runs);
  });
});

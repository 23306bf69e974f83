import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Node } from 'kubernetes-types/core/v1.js';
import { realClock } from '../../client/clock.ts';
import { R } from '../../client/resource-ref.ts';
import type { PeerNode } from '../network/cni/peer-routes.ts';
import { eventually } from '../../../test/support/eventually.ts';
import { startTestCluster, type TestCluster } from '../../../test/support/test-cluster.ts';
import { peersOf, runPeerNetwork } from './peer-network.ts';

const node = (name: string, podCIDR?: string, ip?: string): Node => ({
  metadata: { name },
  spec: podCIDR ? { podCIDR, podCIDRs: [podCIDR] } : {},
  status: { addresses: [...(ip ? [{ type: 'InternalIP', address: ip }] : []), { type: 'Hostname', address: name }] },
});

describe('peersOf', () => {
  it('lists the other nodes that have a pod CIDR and an InternalIP, sorted', () => {
    const nodes = [node('self', '10.1.1.0/24', '192.168.0.1'), node('b', '10.1.3.0/24', '192.168.0.3'), node('a', '10.1.2.0/24', '192.168.0.2'), node('no-cidr', undefined, '192.168.0.4'), node('no-ip', '10.1.5.0/24')];
    assert.deepEqual(peersOf(nodes, 'self'), [
      { podCidr: '10.1.2.0/24', nodeIP: '192.168.0.2' },
      { podCidr: '10.1.3.0/24', nodeIP: '192.168.0.3' },
    ]);
  });
});

describe('runPeerNetwork against a real API server', () => {
  let cluster: TestCluster;
  const abort = new AbortController();
  const calls: PeerNode[][] = [];
  let failNext = false;
  let running: Promise<void>;

  before(async () => {
    cluster = await startTestCluster();
    await cluster.client.create(R.nodes, node('self', '10.1.1.0/24', '192.168.0.1'));
    await cluster.client.create(R.nodes, node('a', '10.1.2.0/24', '192.168.0.2'));
    const routes = {
      sync: (peers: readonly PeerNode[]) => {
        calls.push([...peers]);
        if (failNext) {
          failNext = false;
          return Promise.reject(new Error('ip route: Nexthop has invalid gateway'));
        }
        return Promise.resolve();
      },
    };
    running = runPeerNetwork({ client: cluster.client, nodeName: 'self', routes, clock: realClock, log: () => undefined, retryMs: 300 }, abort.signal);
  });

  after(async () => {
    abort.abort();
    await running;
    await cluster.stop();
  });

  const last = (): PeerNode[] | undefined => calls[calls.length - 1];

  it('syncs the peers once after the first list', async () => {
    await eventually(() => assert.deepEqual(last(), [{ podCidr: '10.1.2.0/24', nodeIP: '192.168.0.2' }], 'first sync'), 5000);
    assert.equal(calls.length, 1);
  });

  it('does not sync again when a node changes in ways routing ignores (heartbeats, labels)', async () => {
    const a = await cluster.client.get<Node>(R.nodes, undefined, 'a');
    await cluster.client.update(R.nodes, { ...a, metadata: { ...a.metadata, labels: { beat: '1' } } });
    await cluster.client.create(R.nodes, node('no-cidr-yet', undefined, '192.168.0.9'));
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(calls.length, 1, JSON.stringify(calls));
  });

  it('syncs when a peer gets a pod CIDR, retries a failed sync after retryMs, and drops deleted peers', async () => {
    failNext = true;
    const b = await cluster.client.get<Node>(R.nodes, undefined, 'no-cidr-yet');
    await cluster.client.update(R.nodes, { ...b, spec: { podCIDR: '10.1.3.0/24', podCIDRs: ['10.1.3.0/24'] } });
    const both = [{ podCidr: '10.1.2.0/24', nodeIP: '192.168.0.2' }, { podCidr: '10.1.3.0/24', nodeIP: '192.168.0.9' }];
    await eventually(() => assert.deepEqual(calls[1], both, 'the failing sync'), 5000);
    // Retried after retryMs (the informer's resync), with no Node change at all; then quiet again.
    await eventually(() => assert.equal(calls.length, 3, 'retried'), 5000);
    assert.deepEqual(last(), both);
    await new Promise((r) => setTimeout(r, 700));
    assert.equal(calls.length, 3, 'no more syncs once it succeeded');
    await cluster.client.delete(R.nodes, undefined, 'a');
    await eventually(() => assert.deepEqual(last(), [both[1]], 'a is gone'), 5000);
  });
});

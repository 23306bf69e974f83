/**
 * PeerRoutes on the real kernel (root): routes via a peer reached over a veth pair to a network
 * namespace the test creates, remembered across instances (an agent restart), removed by the
 * instance that did not add them, never touching routes someone else added.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createNetnsMachine, type NetnsMachine } from '../../../../test/support/netns-machine.ts';
import { runCommand } from '../../launcher/run-command.ts';
import { subnetAt } from '../ipv4.ts';
import { freeClusterCidr, requireHost, runId } from '../testing/host.ts';
import { PeerRoutes } from './peer-routes.ts';

const routeOf = async (dst: string): Promise<string> => (await runCommand('ip', ['route', 'show', dst])).stdout.trim();

describe('PeerRoutes (root)', () => {
  let machine: NetnsMachine;
  let dir = '';
  let cidrs: string[] = [];
  let stateFile = '';

  before(async () => {
    requireHost(['ip', 'nsenter']);
    machine = await createNetnsMachine(runId());
    dir = await mkdtemp(join(tmpdir(), 'mz-peer-routes-'));
    stateFile = join(dir, 'peer-routes.json');
    const { cluster } = await freeClusterCidr();
    cidrs = [1, 2, 3].map((i) => subnetAt(cluster, i));
  });

  after(async () => {
    for (const c of cidrs) await runCommand('ip', ['route', 'del', c]);
    await machine.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  it('adds a route per peer via its node IP and remembers it for the next instance', async () => {
    const [c1 = ''] = cidrs;
    const planned = await new PeerRoutes({ stateFile }).sync([{ podCidr: c1, nodeIP: machine.machineIP }]);
    assert.deepEqual(planned, [{ dst: c1, via: machine.machineIP }]);
    assert.match(await routeOf(c1), new RegExp(`via ${machine.machineIP} dev ${machine.hostIf}`));
    assert.ok(existsSync(stateFile));
    // A restarted agent (new instance, same state file) removes the route when the peer is gone.
    await new PeerRoutes({ stateFile }).sync([]);
    assert.equal(await routeOf(c1), '');
    assert.ok(!existsSync(stateFile), 'state file removed once no route is left');
  });

  it('adds the routes it can when one peer is unreachable, and reports the failure', async () => {
    const [c1 = '', c2 = ''] = cidrs;
    const routes = new PeerRoutes({ stateFile });
    await assert.rejects(
      routes.sync([{ podCidr: c1, nodeIP: machine.machineIP }, { podCidr: c2, nodeIP: '203.0.113.9' }]),
      /peer routes not added \(1\): .*203\.0\.113\.9: not on a network of this host/,
    );
    assert.match(await routeOf(c1), new RegExp(`via ${machine.machineIP}`));
    assert.equal(await routeOf(c2), '');
    await routes.removeAll();
    assert.equal(await routeOf(c1), '');
  });

  it('leaves routes it did not add alone', async () => {
    const [, , c3 = ''] = cidrs;
    assert.equal((await runCommand('ip', ['route', 'add', c3, 'via', machine.machineIP])).code, 0);
    await new PeerRoutes({ stateFile }).sync([]);
    assert.match(await routeOf(c3), new RegExp(`via ${machine.machineIP}`), 'a route someone else added stays');
  });
});

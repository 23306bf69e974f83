/**
 * hostPort end to end (root): `minato server` with its in-process node runs a busybox httpd pod with
 * `hostPort`, which answers on 127.0.0.1:<hostPort> through the portmap plugin (loopback clients are
 * DNATed in nat OUTPUT and masqueraded; the pod bridge has route_localnet). A second pod asking for
 * the same hostPort stays Pending with the scheduler's upstream NodePorts message; deleting the first
 * lets it run; after everything is deleted portmap's rules for the port are gone.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { listNetns } from '../../src/node/network/cni/host-state.ts';
import { runCommand } from '../../src/node/launcher/run-command.ts';
import { httpGet } from '../../src/node/network/testing/host.ts';
import { startAgentCluster, type AgentCluster } from '../support/agent-cluster.ts';
import { waitFor } from '../support/eventually.ts';
import { ok, type Kubectl } from '../support/kubectl.ts';
import { freePort } from '../support/node-host.ts';
import { manifestFile } from './e2e-helpers.ts';

const hostPortPod = (name: string, ns: string, hostPort: number) => `
apiVersion: v1
kind: Pod
metadata: { name: ${name}, namespace: ${ns} }
spec:
  terminationGracePeriodSeconds: 1
  containers:
    - name: web
      image: minato.local/busybox:1
      command: [sh, -c, "mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 80 -h /www"]
      ports: [{ containerPort: 80, hostPort: ${hostPort} }]
      readinessProbe: { tcpSocket: { port: 80 }, periodSeconds: 1 }
`;

/** Lines of the host's iptables and nftables rulesets that mention the port as a destination port. */
async function rulesFor(port: number): Promise<string[]> {
  const ipt = (await runCommand('iptables-save', [])).stdout.split('\n').filter((l) => l.includes(`--dport ${port} `) || l.includes(`--dports ${port}`));
  const nft = (await runCommand('nft', ['list', 'ruleset'])).stdout.split('\n').filter((l) => new RegExp(`dport ${port}\\b`).test(l));
  return [...ipt, ...nft];
}

describe('hostPort on a real node', { timeout: 150_000 }, () => {
  const id = randomBytes(3).toString('hex');
  const nodeName = `hp-${id}`;
  const hostId = createHash('sha256').update(nodeName).digest('hex').slice(0, 6);
  const ns = `hostport-${id}`;
  let hostPort = 0;
  let cluster: AgentCluster | undefined;
  let k: Kubectl;

  before(async () => {
    cluster = await startAgentCluster({ nodeName, hostTools: ['iptables-save'], namespace: ns });
    k = cluster.k;
    hostPort = await freePort();
  });

  after(() => cluster?.close());

  it('answers on 127.0.0.1:<hostPort> through portmap', async () => {
    assert.deepEqual(await rulesFor(hostPort), [], 'no rule for the port before the pod');
    await ok(k, ['apply', '-f', manifestFile(hostPortPod('first', ns, hostPort))]);
    await ok(k, ['-n', ns, 'wait', '--for=condition=Ready', 'pod/first', '--timeout=60s']);
    assert.equal(await waitFor('hostPort answer', () => httpGet('127.0.0.1', hostPort)), 'first');
    const podIp = await ok(k, ['-n', ns, 'get', 'pod', 'first', '-o', 'jsonpath={.status.podIP}']);
    const rules = await rulesFor(hostPort);
    assert.ok(rules.some((l) => l.includes(`--to-destination ${podIp}:80`)), rules.join('\n'));
  });

  it('keeps a second pod asking for the same hostPort Pending with the NodePorts message, until the port is free', async () => {
    await ok(k, ['apply', '-f', manifestFile(hostPortPod('second', ns, hostPort))]);
    const message = await waitFor('PodScheduled=False', async () => {
      const m = await ok(k, ['-n', ns, 'get', 'pod', 'second', '-o', 'jsonpath={.status.conditions[?(@.type=="PodScheduled")].message}']);
      return m || undefined;
    });
    assert.match(message, /^0\/1 nodes are available: 1 node\(s\) didn't have free ports for the requested pod ports\./);
    assert.equal(await ok(k, ['-n', ns, 'get', 'pod', 'second', '-o', 'jsonpath={.status.phase}']), 'Pending');
    const events = await ok(k, ['-n', ns, 'get', 'events', '--field-selector', 'involvedObject.name=second,reason=FailedScheduling', '-o', 'jsonpath={.items[*].message}']);
    assert.match(events, /didn't have free ports for the requested pod ports/);
    await ok(k, ['-n', ns, 'delete', 'pod', 'first', '--wait=true', '--timeout=60s']);
    await ok(k, ['-n', ns, 'wait', '--for=condition=Ready', 'pod/second', '--timeout=90s']);
    assert.equal(await waitFor('hostPort now served by second', async () => ((await httpGet('127.0.0.1', hostPort)) === 'second' ? 'second' : undefined)), 'second');
  });

  it('removes the port\'s portmap rules with the pod, and everything on stop', async () => {
    await ok(k, ['-n', ns, 'delete', 'pod', 'second', '--wait=true', '--timeout=60s']);
    assert.deepEqual(await waitFor('portmap rules gone', async () => ((await rulesFor(hostPort)).length === 0 ? [] : undefined)), []);
    await assert.rejects(httpGet('127.0.0.1', hostPort, { timeoutMs: 1000 }), 'nothing answers on the port any more');
    await ok(k, ['delete', 'namespace', ns, '--timeout=60s']);
    assert.ok(cluster);
    assert.equal(await cluster.server.stop(), 0, cluster.server.logs().slice(-4000));
    const left = {
      netns: (await listNetns()).filter((n) => n.startsWith(`mz${hostId}`)),
      nftTables: (await runCommand('nft', ['list', 'tables'])).stdout.split('\n').filter((l) => l.includes(hostId)),
      rules: await rulesFor(hostPort),
    };
    assert.deepEqual(left, { netns: [], nftTables: [], rules: [] });
  });
});

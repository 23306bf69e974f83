/**
 * Service data path on `minato server`'s real node, with real kubectl 1.33: a LoadBalancer Service
 * with externalTrafficPolicy Local answers through its LB address and NodePort, and the pod sees an
 * outside client's own address (a netns this test creates stands in for a machine on the network);
 * its healthCheckNodePort answers 200 with the local endpoint count, then 503 once scaled to 0; a UDP
 * Service keeps answering a client that reuses its socket after the backend pod is replaced, because
 * the agent deletes the conntrack entry that pointed at the dead pod. Root: runc pods, nft, conntrack.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { startAgentCluster, type AgentCluster } from '../support/agent-cluster.ts';
import { ok, type Kubectl } from '../support/kubectl.ts';
import { nodeLeftovers } from '../support/node-host.ts';
import { waitFor } from '../support/eventually.ts';
import { runCommand, mustRun } from '../../src/node/launcher/run-command.ts';
import { httpGet, httpGetFrom } from '../../src/node/network/testing/host.ts';
import { startOutsideClient, type OutsideClient } from '../../src/node/network/proxy/test-support.ts';
import { manifestFile } from './e2e-helpers.ts';

/** HTTP answers "<peer address> <pod name>"; UDP answers "<pod name> <datagram>". */
const SERVER = `const os = require('os');
require('http').createServer((q, s) => s.end(String(q.socket.remoteAddress).replace(/^::ffff:/, '') + ' ' + os.hostname())).listen(8080);
const u = require('dgram').createSocket('udp4');
u.on('message', (m, r) => u.send(os.hostname() + ' ' + m, r.port, r.address));
u.bind(5353);`;

const deployment = (ns: string, name: string) => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: ${ns} }
spec:
  replicas: 1
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      terminationGracePeriodSeconds: 1
      containers:
        - name: main
          image: minato.local/node:20
          command: [node, -e, ${JSON.stringify(SERVER)}]
          readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 1 }
`;

const MANIFEST = (ns: string) => `${deployment(ns, 'web')}
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: ${ns} }
spec:
  type: LoadBalancer
  externalTrafficPolicy: Local
  selector: { app: web }
  ports: [{ port: 80, targetPort: 8080 }]
---
${deployment(ns, 'udp')}
---
apiVersion: v1
kind: Service
metadata: { name: udp, namespace: ${ns} }
spec:
  selector: { app: udp }
  ports: [{ port: 53, targetPort: 5353, protocol: UDP }]
`;

function healthz(port: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: '/healthz', agent: false, timeout: 3000 }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject).end();
  });
}

/** A UDP client that keeps one socket (one conntrack entry), as a resolver does. */
function udpClient(): { socket: Socket; ask(host: string, port: number, text: string, timeoutMs: number): Promise<string | undefined> } {
  const socket = createSocket('udp4');
  const ask = (host: string, port: number, text: string, timeoutMs: number) =>
    new Promise<string | undefined>((resolve) => {
      const onMessage = (m: Buffer): void => {
        if (!m.toString().endsWith(` ${text}`)) return; // a late answer to an earlier question
        clearTimeout(timer);
        socket.off('message', onMessage);
        resolve(m.toString());
      };
      const timer = setTimeout(() => {
        socket.off('message', onMessage);
        resolve(undefined);
      }, timeoutMs);
      socket.on('message', onMessage);
      socket.send(text, port, host);
    });
  return { socket, ask };
}

describe('Service traffic policy Local, health check port, UDP conntrack flush (root)', { timeout: 240_000 }, () => {
  const id = randomBytes(3).toString('hex');
  const nodeName = `e2e-stp-${id}`;
  const ns = `stp-${id}`;
  let cluster: AgentCluster | undefined;
  let k: Kubectl;
  let client: OutsideClient | undefined;
  let bridgeGateway = '';

  before(async () => {
    cluster = await startAgentCluster({ nodeName, baseImages: ['node'], hostTools: ['conntrack', 'sysctl'], namespace: ns });
    k = cluster.k;
    bridgeGateway = cluster.podCidr.replace(/0\/24$/, '1');
    await ok(k, ['apply', '-f', manifestFile(MANIFEST(ns))]);
    client = await startOutsideClient(id, `${cluster.lbPrefix}.0/24`);
    for (const d of ['web', 'udp']) await ok(k, ['-n', ns, 'rollout', 'status', `deployment/${d}`, '--timeout=90s']);
  });

  after(async () => {
    await client?.remove();
    await cluster?.close();
  });

  const svcField = (name: string, path: string) => ok(k, ['-n', ns, 'get', 'svc', name, '-o', `jsonpath={${path}}`]);

  it('answers on the LB address and NodePort, and the pod sees the outside client\'s own address', async () => {
    const lbIp = await waitFor('LoadBalancer IP', async () => (await svcField('web', '.status.loadBalancer.ingress[0].ip')) || undefined);
    const nodePort = Number(await svcField('web', '.spec.ports[0].nodePort'));
    assert.equal(await svcField('web', '.spec.externalTrafficPolicy'), 'Local');
    // From the host itself: masqueraded (a 127/8 source could not be answered from the pod), so the pod sees the bridge.
    const fromHost = await waitFor('LB answers the host', () => httpGet(lbIp, 80));
    assert.match(fromHost, new RegExp(`^${bridgeGateway.replace(/\./g, '\\.')} web-`), fromHost);
    const c = client;
    assert.ok(c, 'outside client');
    const viaLb = await waitFor('LB answers the outside client', () => httpGetFrom(c.ns, `http://${lbIp}/`));
    assert.match(viaLb, new RegExp(`^${c.address.replace(/\./g, '\\.')} web-`), viaLb);
    const viaNodePort = await waitFor('NodePort answers the outside client', () => httpGetFrom(c.ns, `http://${c.hostAddress}:${nodePort}/`));
    assert.match(viaNodePort, new RegExp(`^${c.address.replace(/\./g, '\\.')} web-`), viaNodePort);
  });

  it('keeps a UDP client with one socket answered after its backend pod is replaced (stale conntrack entry flushed)', async () => {
    const clusterIp = await svcField('udp', '.spec.clusterIP');
    const oldPod = await ok(k, ['-n', ns, 'get', 'pods', '-l', 'app=udp', '-o', 'jsonpath={.items[0].metadata.name} {.items[0].status.podIP}']);
    const [oldName = '', oldIp = ''] = oldPod.split(' ');
    const udp = udpClient();
    try {
      let n = 0;
      const first = await waitFor('UDP answer', () => udp.ask(clusterIp, 53, `q${n++}`, 1000));
      assert.ok(first.startsWith(`${oldName} `), first);
      const entries = () => mustRun('conntrack', ['-L', '-p', 'udp', '--orig-dst', clusterIp, '--orig-port-dst', '53']).catch(() => '');
      assert.match(await entries(), new RegExp(`src=${oldIp.replace(/\./g, '\\.')} `));
      await ok(k, ['-n', ns, 'delete', 'pod', oldName, '--wait=false']);
      // The same socket keeps asking (keeping any stale entry alive) until a new pod answers.
      const answer = await waitFor('an answer from the replacement pod', async () => {
        const a = await udp.ask(clusterIp, 53, `q${n++}`, 500);
        return a && !a.startsWith(`${oldName} `) ? a : undefined;
      }, 60_000, 100);
      assert.match(answer, /^udp-/);
      assert.doesNotMatch(await entries(), new RegExp(`src=${oldIp.replace(/\./g, '\\.')} `));
    } finally {
      udp.socket.close();
    }
  });

  it('serves the healthCheckNodePort: 200 with local endpoints, 503 after scaling to 0', async () => {
    const port = Number(await svcField('web', '.spec.healthCheckNodePort'));
    assert.ok(port >= 30000 && port <= 32767, `healthCheckNodePort ${port}`);
    const up = await waitFor('health check 200', async () => {
      const r = await healthz(port);
      return r.status === 200 ? r : undefined;
    });
    assert.deepEqual(JSON.parse(up.body), { service: { namespace: ns, name: 'web' }, localEndpoints: 1, serviceProxyHealthy: true });
    await ok(k, ['-n', ns, 'scale', 'deployment/web', '--replicas=0']);
    const down = await waitFor('health check 503', async () => {
      const r = await healthz(port);
      return r.status === 503 ? r : undefined;
    }, 45_000);
    assert.equal((JSON.parse(down.body) as { localEndpoints: number }).localEndpoints, 0);
  });

  it('leaves the host clean: no node objects, no health check listener, no client netns', async () => {
    const port = Number(await svcField('web', '.spec.healthCheckNodePort'));
    await ok(k, ['delete', 'namespace', ns, '--timeout=60s']);
    assert.ok(cluster, 'cluster');
    assert.equal(await cluster.server.stop(), 0, cluster.server.logs().slice(-4000));
    await client?.remove();
    assert.deepEqual(await nodeLeftovers(cluster.dir, nodeName), { netns: [], bridge: [], nftTables: [], cgroups: [], mounts: [], runc: [], processes: [], podRecords: [] });
    await assert.rejects(healthz(port), /ECONNREFUSED/);
    assert.doesNotMatch((await runCommand('ip', ['netns', 'list'])).stdout, new RegExp(`mzc${id}`));
    assert.doesNotMatch((await runCommand('ip', ['-o', 'link', 'show'])).stdout, new RegExp(`mzc${id}`));
  });
});

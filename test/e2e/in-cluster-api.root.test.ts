/**
 * Pods reach the API server through the `kubernetes` Service (first Service IP:443 → the pod bridge's
 * gateway, where the server also listens) with their projected service-account token; and Services
 * keep answering while `minato server` restarts without `--cleanup-on-exit` (pods and the nftables
 * proxy stay; cluster DNS is down meanwhile). Root: real runc pods.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { get } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { startAgentCluster, type AgentCluster } from '../support/agent-cluster.ts';
import { ok, type Kubectl } from '../support/kubectl.ts';
import { REPO_ROOT, type ServerProcess } from '../support/minato-server.ts';
import { nodeLeftovers } from '../support/node-host.ts';
import { manifestFile } from './e2e-helpers.ts';
import { waitFor } from '../support/eventually.ts';

const run = promisify(execFile);

const eventually = waitFor;

function httpGet(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = get(url, { agent: false, timeout: 3000 }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => (res.statusCode === 200 ? resolve(body) : reject(new Error(`${url}: HTTP ${res.statusCode ?? 0}`))));
    });
    req.on('timeout', () => req.destroy(new Error(`${url}: timeout`)));
    req.on('error', reject);
  });
}

const CLIENT = (ns: string) => `
apiVersion: v1
kind: Pod
metadata: { name: api-client, namespace: ${ns} }
spec:
  terminationGracePeriodSeconds: 1
  containers: [{ name: main, image: minato.local/node:20, command: [node, -e, "setInterval(() => {}, 1e9)"] }]
`;

/**
 * An https GET from inside the pod with its projected token, verifying the server against the mounted
 * ca.crt (busybox wget's TLS cannot handshake with the API server, and would not verify). Prints "<status> <body>".
 */
const SA = '/var/run/secrets/kubernetes.io/serviceaccount';
const apiGet = (path: string) => ['node', '-e', `const fs = require('fs');
require('https').get({ host: 'kubernetes.default.svc', path: process.argv[1], ca: fs.readFileSync('${SA}/ca.crt'),
  headers: { authorization: 'Bearer ' + fs.readFileSync('${SA}/token', 'utf8') } },
  (r) => { let b = ''; r.on('data', (c) => (b += c)); r.on('end', () => console.log(r.statusCode, b)); }).on('error', (e) => console.log('ERR', e.message));`, path];

describe('minato server: the API from pods, and Services across a restart', { timeout: 150_000 }, () => {
  const id = randomBytes(3).toString('hex');
  const nodeName = `e2e-api-${id}`;
  const ns = `inapi-${id}`;
  let cluster: AgentCluster | undefined;
  let dir = '';
  let podCidr = '';
  let serviceCidr = '';
  let server: ServerProcess;
  let k: Kubectl;
  const figures: Record<string, string> = {};

  before(async () => {
    // Without --cleanup-on-exit, so pods and the proxy's rules outlive a stop of the server.
    cluster = await startAgentCluster({ nodeName, baseImages: ['busybox', 'node'], cleanupOnExit: false, namespace: ns });
    ({ dir, podCidr, serviceCidr, server, k } = cluster);
  });

  after(async () => {
    process.stderr.write(`in-cluster-api figures: ${JSON.stringify(figures)}\n`);
    await cluster?.close();
  });

  it('points the kubernetes Service at an address pods reach, with its ClusterIP in the serving certificate', async () => {
    const slice = await ok(k, ['-n', 'default', 'get', 'endpointslice', 'kubernetes', '-o', 'jsonpath={.endpoints[0].addresses[0]}:{.ports[0].port}']);
    const gateway = podCidr.replace(/0\/24$/, '1');
    assert.equal(slice, `${gateway}:${new URL(server.url).port}`);
    const ep = await ok(k, ['-n', 'default', 'get', 'endpoints', 'kubernetes', '-o', 'jsonpath={.subsets[0].addresses[0].ip}']);
    assert.equal(ep, gateway);
    const { stdout } = await run('openssl', ['x509', '-noout', '-ext', 'subjectAltName', '-in', join(dir, 'server', 'pki', 'server.crt')]).catch(() => ({ stdout: '' }));
    const clusterIP = serviceCidr.replace(/0\.0\/16$/, '0.1');
    assert.equal(await ok(k, ['-n', 'default', 'get', 'service', 'kubernetes', '-o', 'jsonpath={.spec.clusterIP}']), clusterIP);
    if (stdout) assert.ok(stdout.includes(clusterIP) && stdout.includes(gateway), stdout);
  });

  it('lets a pod call the API with its service-account token: 200 for /api, 403 for secrets', async () => {
    await ok(k, ['apply', '-f', manifestFile(CLIENT(ns))]);
    await ok(k, ['-n', ns, 'wait', '--for=condition=Ready', 'pod/api-client', '--timeout=60s']);
    const t0 = Date.now();
    let attempts = 0;
    const api = await eventually('GET /api from the pod', async () => {
      attempts++;
      const t = Date.now();
      const r = await k(['-n', ns, 'exec', 'api-client', '--', ...apiGet('/api')]);
      const out = r.stdout;
      figures[`attempt${attempts}`] = `${Date.now() - t}ms ${r.code} ${(out || r.stderr).slice(0, 60)}`;
      return out.startsWith('200 ') ? out : undefined;
    });
    figures.firstApiCallMs = String(Date.now() - t0);
    assert.match(api, /"kind":\s*"APIVersions"/, api);
    const forbidden = await ok(k, ['-n', ns, 'exec', 'api-client', '--', ...apiGet(`/api/v1/namespaces/${ns}/secrets`)]);
    assert.match(forbidden, /^403 .*system:serviceaccount:/, forbidden);
  });

  it('keeps the LoadBalancer answering while the server is stopped without clean-up, and after it starts again', async () => {
    await ok(k, ['-n', ns, 'apply', '-f', join(REPO_ROOT, 'examples/hello.yaml')]);
    await ok(k, ['-n', ns, 'rollout', 'status', 'deployment/hello', '--timeout=90s']);
    const ip = await eventually('load balancer ip', async () => (await ok(k, ['-n', ns, 'get', 'svc', 'hello', '-o', 'jsonpath={.status.loadBalancer.ingress[0].ip}'])) || undefined);
    assert.match(await eventually('page through the LB', () => httpGet(`http://${ip}/`)), /Hello from Minato/);
    const oldPort = new URL(server.url).port;
    assert.equal(await server.stop(), 0, server.logs().slice(-4000));
    // Server, agent and DNS are gone; pods (under conmon) and the proxy's nftables rules are not.
    assert.match(await httpGet(`http://${ip}/`), /Hello from Minato/);
    const t0 = Date.now();
    assert.ok(cluster);
    server = await cluster.restart({ cleanupOnExit: true });
    figures.restartMs = String(Date.now() - t0);
    k = cluster.k;
    assert.match(await httpGet(`http://${ip}/`), /Hello from Minato/);
    // The API moved to a new port; the kubernetes endpoints followed, so the pod still reaches it.
    assert.notEqual(new URL(server.url).port, oldPort);
    const api = await eventually('GET /api after the restart', async () => {
      const out = await ok(k, ['-n', ns, 'exec', 'api-client', '--', ...apiGet('/api')]);
      return out.startsWith('200 ') ? out : undefined;
    });
    assert.match(api, /APIVersions/);
  });

  it('cleans up on the next stop with --cleanup-on-exit: the host is clean', async () => {
    await ok(k, ['delete', 'namespace', ns, '--timeout=60s']);
    assert.equal(await server.stop(), 0, server.logs().slice(-4000));
    assert.deepEqual(await nodeLeftovers(dir, nodeName), { netns: [], bridge: [], nftTables: [], cgroups: [], mounts: [], runc: [], processes: [], podRecords: [] });
  });
});

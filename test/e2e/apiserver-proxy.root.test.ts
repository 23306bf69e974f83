/**
 * The API server's proxy subresources end to end (root): `minato server` with its node agent runs
 * a pod with a busybox httpd (a page from a configMap) and a node echo server. Real kubectl 1.33
 * reads the agent's metrics and stats through nodes/proxy and the page through pods/proxy and
 * services/proxy, and sends POST/PUT/DELETE bodies with `create|replace|delete --raw`; `kubectl
 * proxy` carries curl's PATCH, HEAD, redirects and a connection upgrade. A restricted
 * ServiceAccount is refused nodes/proxy, and a Service without ready endpoints answers 503.
 */
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { kubectlAsServiceAccount, startAgentCluster, type AgentCluster } from '../support/agent-cluster.ts';
import { waitFor } from '../support/eventually.ts';
import { KUBECTL_DIR, ok, type Kubectl } from '../support/kubectl.ts';
import { nodeLeftovers } from '../support/node-host.ts';
import { sampleSum } from '../support/prometheus-text.ts';
import { manifestFile } from './e2e-helpers.ts';

const run = promisify(execFile);
const CURL = '/usr/bin/curl';

/**
 * The echo server answers every method with what it got, redirects `/go` to `/landed`, and echoes
 * bytes back after an upgrade (enough of a protocol switch to prove the tunnel).
 */
const ECHO_JS = `
const http = require('http');
const server = http.createServer((req, res) => {
  if (req.url === '/go') { res.writeHead(302, { Location: '/landed?from=go' }); return res.end(); }
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    res.writeHead(200, { 'Content-Type': 'text/plain', 'X-Echo': 'yes' });
    res.end('method=' + req.method + ' url=' + req.url + ' body=' + body);
  });
});
server.on('upgrade', (req, socket) => {
  socket.write('HTTP/1.1 101 Switching Protocols\\r\\nUpgrade: echo\\r\\nConnection: Upgrade\\r\\nX-Path: ' + req.url + '\\r\\n\\r\\n');
  socket.pipe(socket);
});
server.listen(8080);
`;

const MANIFESTS = (ns: string) => `
apiVersion: v1
kind: ConfigMap
metadata: { name: site, namespace: ${ns} }
data:
  index.html: "served from the pod of ${ns}\\n"
  echo.js: ${JSON.stringify(ECHO_JS)}
---
apiVersion: v1
kind: Pod
metadata: { name: web, namespace: ${ns}, labels: { app: web } }
spec:
  terminationGracePeriodSeconds: 1
  containers:
    - name: httpd
      image: minato.local/busybox:1
      command: [httpd, -f, -p, "80", -h, /www]
      ports: [{ name: http, containerPort: 80 }]
      volumeMounts: [{ name: page, mountPath: /www }]
    - name: echo
      image: minato.local/node:20
      command: [node, /srv/echo.js]
      ports: [{ name: echo, containerPort: 8080 }]
      volumeMounts: [{ name: script, mountPath: /srv }]
  volumes:
    - { name: page, configMap: { name: site, items: [{ key: index.html, path: index.html }] } }
    - { name: script, configMap: { name: site, items: [{ key: echo.js, path: echo.js }] } }
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: ${ns} }
spec:
  selector: { app: web }
  ports: [{ name: http, port: 80, targetPort: http }, { name: echo, port: 8080, targetPort: echo }]
---
apiVersion: v1
kind: Service
metadata: { name: idle, namespace: ${ns} }
spec:
  selector: { app: nobody-${ns} }
  ports: [{ name: http, port: 80 }]
---
apiVersion: v1
kind: ServiceAccount
metadata: { name: viewer, namespace: ${ns} }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: viewer-view, namespace: ${ns} }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view }
subjects: [{ kind: ServiceAccount, name: viewer, namespace: ${ns} }]
`;

/** `kubectl proxy --port=0` in the background; resolves once it printed the port it serves on. */
async function startKubectlProxy(kubeconfig: string): Promise<{ base: string; child: ChildProcess; stop(): Promise<void> }> {
  const child = spawn(join(KUBECTL_DIR, 'kubectl.1.33'), ['--kubeconfig', kubeconfig, 'proxy', '--port=0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  const port = await waitFor('kubectl proxy to print its port', async () => /Starting to serve on 127\.0\.0\.1:(\d+)/.exec(out)?.[1], 15_000, 50).catch((err: Error) => {
    child.kill('SIGTERM');
    throw new Error(`${err.message}; kubectl proxy said: ${out}`);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    base: `http://127.0.0.1:${port}`,
    child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Sends an upgrade request to 127.0.0.1:port, then `text` once switched; resolves to the 101 head and what came back. */
function upgradeAndEcho(port: string, path: string, text: string): Promise<{ head: string; echoed: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1');
    const timer = setTimeout(() => socket.destroy(new Error(`no echo through the upgrade; got ${JSON.stringify(got)}`)), 10_000);
    let got = '';
    socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n`);
    socket.on('data', (c: Buffer) => {
      const before = got;
      got += c.toString();
      const end = got.indexOf('\r\n\r\n');
      if (end >= 0 && !before.includes('\r\n\r\n')) socket.write(text);
      if (end >= 0 && got.slice(end + 4) === text) {
        clearTimeout(timer);
        socket.destroy();
        resolve({ head: got.slice(0, end + 2), echoed: text });
      }
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/** curl with `args`; resolves to its output (`-i` puts the status line and headers first). */
async function curl(args: string[]): Promise<string> {
  const { stdout } = await run(CURL, ['-sS', '--max-time', '10', ...args]);
  return stdout;
}

describe('proxy subresources through real kubectl, kubectl proxy and curl (root)', { timeout: 120_000 }, () => {
  const id = randomBytes(3).toString('hex');
  const nodeName = `e2e-proxy-${id}`;
  const ns = `proxy-${id}`;
  const pageText = `served from the pod of ${ns}\n`;
  let cluster: AgentCluster;
  let k: Kubectl;
  let proxy: Awaited<ReturnType<typeof startKubectlProxy>> | undefined;
  const figures: Record<string, number> = {};

  before(async () => {
    const t0 = performance.now();
    cluster = await startAgentCluster({ nodeName, baseImages: ['busybox', 'node'], hostTools: [CURL, join(KUBECTL_DIR, 'kubectl.1.33')], namespace: ns });
    k = cluster.k;
    await ok(k, ['apply', '-f', manifestFile(MANIFESTS(ns))]);
    await ok(k, ['-n', ns, 'wait', '--for=condition=Ready', 'pod/web', '--timeout=60s']);
    figures.setupMs = Math.round(performance.now() - t0);
  });

  after(async () => {
    process.stderr.write(`apiserver-proxy figures: ${JSON.stringify(figures)}\n`);
    await proxy?.stop();
    await cluster?.close();
  });

  it("reads the agent's /metrics, /stats/summary and /healthz through nodes/proxy", async () => {
    const metrics = await ok(k, ['get', '--raw', `/api/v1/nodes/${nodeName}/proxy/metrics`]);
    assert.ok(sampleSum(metrics, 'kubelet_running_pods') >= 1, metrics.slice(0, 2000));
    assert.equal(sampleSum(metrics, 'kubelet_node_name', { node: nodeName }), 1);
    const cadvisor = await ok(k, ['get', '--raw', `/api/v1/nodes/${nodeName}/proxy/metrics/cadvisor`]);
    assert.match(cadvisor, new RegExp(`container_cpu_usage_seconds_total\\{[^}]*namespace="${ns}"`));
    const summary = JSON.parse(await ok(k, ['get', '--raw', `/api/v1/nodes/${nodeName}/proxy/stats/summary`])) as { node: { nodeName: string }; pods: Array<{ podRef: { name: string; namespace: string } }> };
    assert.equal(summary.node.nodeName, nodeName);
    assert.ok(summary.pods.some((p) => p.podRef.namespace === ns && p.podRef.name === 'web'), JSON.stringify(summary.pods.map((p) => p.podRef)));
    assert.equal(await ok(k, ['get', '--raw', `/api/v1/nodes/${nodeName}/proxy/healthz`]), 'ok');
  });

  it('serves the pod’s page through pods/proxy, by port number and by default port', async () => {
    const t0 = performance.now();
    const page = await waitFor('the page through pods/proxy', async () => {
      const r = await k(['get', '--raw', `/api/v1/namespaces/${ns}/pods/web:80/proxy/`]);
      return r.code === 0 ? r.stdout : undefined;
    }, 20_000);
    figures.firstPageMs = Math.round(performance.now() - t0);
    assert.equal(page, pageText);
    assert.equal(await ok(k, ['get', '--raw', `/api/v1/namespaces/${ns}/pods/web/proxy/index.html`]), pageText);
    assert.equal(await ok(k, ['get', '--raw', `/api/v1/namespaces/${ns}/pods/http:web:http/proxy/`]), pageText);
  });

  it('serves it through services/proxy by port name', async () => {
    const page = await waitFor('the page through services/proxy', async () => {
      const r = await k(['get', '--raw', `/api/v1/namespaces/${ns}/services/web:http/proxy/`]);
      return r.code === 0 ? r.stdout : undefined;
    }, 20_000);
    assert.equal(page, pageText);
  });

  it('carries POST, PUT and DELETE with their bodies and query strings (kubectl create|replace|delete --raw)', async () => {
    const body = join(cluster.dir, 'body.txt');
    await writeFile(body, 'hello-body');
    const echo = `/api/v1/namespaces/${ns}/pods/web:8080/proxy/echo?a=1&b=two`;
    const answer = (method: string, b: string) => `method=${method} url=/echo?a=1&b=two body=${b}`;
    const reached = await waitFor('the echo container', async () => {
      const r = await k(['create', '--raw', echo, '-f', body]);
      return r.code === 0 ? r.stdout : undefined;
    }, 20_000);
    assert.equal(reached, answer('POST', 'hello-body'));
    assert.equal(await ok(k, ['replace', '--raw', echo, '-f', body]), answer('PUT', 'hello-body'));
    assert.equal(await ok(k, ['delete', '--raw', echo]), answer('DELETE', ''));
    // (kubectl itself normalises escapes in --raw paths; the unit tests show ours pass unchanged.)
    assert.equal(await ok(k, ['get', '--raw', `/api/v1/namespaces/${ns}/services/web:echo/proxy/x/y/?q=1&r=two`]), 'method=GET url=/x/y/?q=1&r=two body=');
  });

  it('works behind kubectl proxy: GET by port number, PATCH with a body, HEAD, redirects, and an upgrade', async () => {
    proxy = await startKubectlProxy(cluster.server.kubeconfig);
    const svc = `${proxy.base}/api/v1/namespaces/${ns}/services/web:80/proxy`;
    const echo = `${proxy.base}/api/v1/namespaces/${ns}/services/web:8080/proxy`;
    assert.equal(await curl([`${svc}/`]), pageText);
    assert.equal(await curl(['-X', 'PATCH', '-H', 'Content-Type: application/merge-patch+json', '--data-binary', '{"a":1}', `${echo}/patched?p=1`]), 'method=PATCH url=/patched?p=1 body={"a":1}');
    const head = await curl(['-I', `${svc}/index.html`]);
    assert.match(head, /^HTTP\/1\.1 200 /);
    assert.match(head, new RegExp(`^Content-Length: ${Buffer.byteLength(pageText)}\\r$`, 'mi'));
    // The bare proxy path is sent to …/proxy/ (upstream's rule), and the target's own redirect is
    // rewritten to stay under the proxy, so curl -L lands on the target again.
    const bare = await curl(['-i', svc]);
    assert.match(bare, /^HTTP\/1\.1 301 /);
    assert.match(bare, new RegExp(`^Location: /api/v1/namespaces/${ns}/services/web:80/proxy/\\r$`, 'mi'));
    assert.equal(await curl(['-L', svc]), pageText);
    const go = await curl(['-i', `${echo}/go`]);
    assert.match(go, new RegExp(`^Location: /api/v1/namespaces/${ns}/services/web:8080/proxy/landed\\?from=go\\r$`, 'mi'));
    assert.equal(await curl(['-L', `${echo}/go`]), 'method=GET url=/landed?from=go body=');
    const upgraded = await upgradeAndEcho(new URL(proxy.base).port, `/api/v1/namespaces/${ns}/pods/web:8080/proxy/ws?room=1`, 'ping-through-the-tunnel');
    assert.match(upgraded.head, /^HTTP\/1\.1 101 /);
    assert.match(upgraded.head, /^X-Path: \/ws\?room=1\r$/im);
    assert.equal(upgraded.echoed, 'ping-through-the-tunnel');
    await proxy.stop();
  });

  it('refuses nodes/proxy to a ServiceAccount bound only to view (403)', async () => {
    const viewer = await kubectlAsServiceAccount(cluster, ns, 'viewer');
    assert.equal(await ok(viewer, ['-n', ns, 'get', 'pod', 'web', '-o', 'name']), 'pod/web\n', 'the view binding works');
    const refused = await viewer(['get', '--raw', `/api/v1/nodes/${nodeName}/proxy/metrics`]);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, new RegExp(`Error from server \\(Forbidden\\): .*User "system:serviceaccount:${ns}:viewer" cannot get resource "nodes/proxy" in API group "" at the cluster scope`), refused.stderr);
    const pods = await viewer(['get', '--raw', `/api/v1/namespaces/${ns}/pods/web:80/proxy/`]);
    assert.match(pods.stderr, /cannot get resource "pods\/proxy"/, pods.stderr);
  });

  it('answers 503 for a Service without ready endpoints', async () => {
    await waitFor('the idle Service endpoints object', async () => ((await k(['-n', ns, 'get', 'endpoints', 'idle'])).code === 0 ? true : undefined), 15_000);
    const r = await k(['get', '--raw', `/api/v1/namespaces/${ns}/services/idle:http/proxy/`]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Error from server \(ServiceUnavailable\): no endpoints available for service "idle(:http)?"/, r.stderr);
  });

  it('cleans up: the namespace, the server and kubectl proxy are gone and the host is clean', async () => {
    await ok(k, ['delete', 'namespace', ns, '--timeout=30s']);
    await proxy?.stop();
    assert.equal(await cluster.server.stop(), 0, cluster.server.logs().slice(-4000));
    assert.notEqual(proxy?.child.exitCode ?? proxy?.child.signalCode ?? null, null, 'kubectl proxy still running');
    assert.deepEqual(await nodeLeftovers(cluster.dir, nodeName), { netns: [], bridge: [], nftTables: [], cgroups: [], mounts: [], runc: [], processes: [], podRecords: [] });
  });
});

/**
 * Prometheus metrics read by clients we did not write: kubectl 1.33 `get --raw /metrics` (as the
 * admin, and as a ServiceAccount that is refused until bound to `system:monitoring`), Debian's
 * `promtool check metrics` on the API server's and the agent's outputs, and a real Debian
 * `prometheus` scraping the API server and the agent's /metrics and /metrics/cadvisor over mutual
 * TLS, queried through its HTTP API. Root: `minato server` with its node agent runs a runc pod.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { kubectlAsServiceAccount, startAgentCluster, type AgentCluster } from '../support/agent-cluster.ts';
import { waitFor } from '../support/eventually.ts';
import { ok, type Kubectl } from '../support/kubectl.ts';
import type { ServerProcess } from '../support/minato-server.ts';
import { freePort, nodeLeftovers } from '../support/node-host.ts';
import { findSamples, sampleSum } from '../support/prometheus-text.ts';
import { manifestFile } from './e2e-helpers.ts';

const PROMETHEUS = '/usr/bin/prometheus';
const PROMTOOL = '/usr/bin/promtool';

/** `promtool check metrics` on `text` (stdin); resolves to its exit code and output. */
function promtoolCheck(text: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(PROMTOOL, ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
    child.stdin.end(text);
  });
}

/** An https GET with the cluster's admin client certificate. */
function tlsGet(url: string, tls: { ca: string; cert: string; key: string }): Promise<{ code: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ...tls, timeout: 10_000 }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ code: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`${url}: timeout`)));
    req.on('error', reject);
    req.end();
  });
}

interface PromSeries {
  metric: Record<string, string>;
  value: [number, string];
}

/** One instant query against Prometheus's HTTP API. */
async function promQuery(base: string, query: string): Promise<PromSeries[]> {
  const res = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(query)}`);
  const body = (await res.json()) as { status: string; data?: { result: PromSeries[] }; error?: string };
  if (body.status !== 'success') throw new Error(`query ${query}: ${body.error ?? res.status}`);
  return body.data?.result ?? [];
}

const POD = (ns: string) => `
apiVersion: v1
kind: Pod
metadata: { name: scraped, namespace: ${ns} }
spec:
  terminationGracePeriodSeconds: 1
  containers: [{ name: main, image: minato.local/busybox:1, command: [sh, -c, "while true; do :; done"], resources: { limits: { cpu: 100m } } }]
`;

describe('Prometheus metrics: kubectl, promtool and a real prometheus', { timeout: 90_000 }, () => {
  const id = randomBytes(3).toString('hex');
  const nodeName = `e2e-prom-${id}`;
  const ns = `prom-${id}`;
  let cluster: AgentCluster | undefined;
  let dir = '';
  let server: ServerProcess;
  let k: Kubectl;
  let tls: { ca: string; cert: string; key: string };
  let kubeletBase = '';
  let prometheus: ChildProcess | undefined;
  const figures: Record<string, string> = {};

  before(async () => {
    cluster = await startAgentCluster({ nodeName, hostTools: [PROMETHEUS, PROMTOOL, '/usr/lib/google-cloud-sdk/bin/kubectl.1.33'] });
    ({ dir, server, k } = cluster);
    const pki = join(dir, 'server', 'pki');
    tls = { ca: await readFile(join(pki, 'ca.crt'), 'utf8'), cert: await readFile(join(pki, 'admin.crt'), 'utf8'), key: await readFile(join(pki, 'admin.key'), 'utf8') };
    const port = await ok(k, ['get', 'node', nodeName, '-o', 'jsonpath={.status.daemonEndpoints.kubeletEndpoint.Port}']);
    kubeletBase = `https://127.0.0.1:${port}`;
    await ok(k, ['create', 'namespace', ns]);
    await ok(k, ['apply', '-f', manifestFile(POD(ns))]);
  });

  after(async () => {
    process.stderr.write(`prometheus-scrape figures: ${JSON.stringify(figures)}\n`);
    if (prometheus && prometheus.exitCode === null && prometheus.signalCode === null) {
      const exited = new Promise((r) => prometheus?.once('exit', r));
      prometheus.kill('SIGTERM');
      await exited;
    }
    await cluster?.close();
  });

  it('serves /metrics to kubectl get --raw as the admin, and promtool finds no problems', async () => {
    const text = await ok(k, ['get', '--raw', '/metrics']);
    assert.ok(sampleSum(text, 'apiserver_request_total', { verb: 'GET', code: '200' }) > 0, text.slice(0, 2000));
    assert.ok(findSamples(text, 'process_resident_memory_bytes').length === 1);
    const check = await promtoolCheck(text);
    assert.equal(check.code, 0, check.output);
    assert.equal(check.output.trim(), '');
  });

  it('refuses a ServiceAccount (403) until it is bound to system:monitoring', async () => {
    await ok(k, ['-n', ns, 'create', 'serviceaccount', 'scraper']);
    assert.ok(cluster);
    const sa = await kubectlAsServiceAccount(cluster, ns, 'scraper');
    const refused = await sa(['get', '--raw', '/metrics']);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /Forbidden|forbidden/, refused.stderr);
    await ok(k, ['create', 'clusterrolebinding', `scraper-${id}`, '--clusterrole=system:monitoring', `--serviceaccount=${ns}:scraper`]);
    const text = await waitFor('metrics as the bound ServiceAccount', async () => {
      const r = await sa(['get', '--raw', '/metrics']);
      return r.code === 0 ? r.stdout : undefined;
    }, 15_000);
    assert.match(text, /# TYPE apiserver_request_total counter/);
    assert.equal((await sa(['get', '--raw', '/api/v1/namespaces'])).code === 0, false, 'system:monitoring grants metrics, not resources');
    await ok(k, ['delete', 'clusterrolebinding', `scraper-${id}`]);
  });

  it("serves the agent's /metrics and /metrics/cadvisor (client certificate), both clean for promtool", async () => {
    await ok(k, ['-n', ns, 'wait', '--for=condition=Ready', 'pod/scraped', '--timeout=45s']);
    const own = await tlsGet(`${kubeletBase}/metrics`, tls);
    assert.equal(own.code, 200, own.body);
    assert.equal(sampleSum(own.body, 'kubelet_node_name', { node: nodeName }), 1);
    assert.ok(sampleSum(own.body, 'kubelet_running_pods') >= 1, own.body);
    assert.ok(sampleSum(own.body, 'kubelet_pod_start_duration_seconds_count') >= 1);
    assert.ok(sampleSum(own.body, 'kubelet_runtime_operations_total', { operation_type: 'create_container' }) >= 1);
    const cadvisor = await tlsGet(`${kubeletBase}/metrics/cadvisor`, tls);
    assert.equal(cadvisor.code, 200, cadvisor.body);
    const [cpu] = findSamples(cadvisor.body, 'container_cpu_usage_seconds_total', { namespace: ns, pod: 'scraped', container: 'main', image: 'minato.local/busybox:1' });
    assert.ok(cpu && cpu.value > 0, cadvisor.body);
    assert.match(cpu.labels.id ?? '', /^\/minato-/);
    // The in-process scheduler and controllers report on the API server's registry.
    const api = await ok(k, ['get', '--raw', '/metrics']);
    assert.ok(sampleSum(api, 'scheduler_schedule_attempts_total', { result: 'scheduled' }) >= 1, 'scheduler attempts');
    assert.ok(sampleSum(api, 'workqueue_adds_total') > 0, 'workqueue adds');
    assert.ok(sampleSum(api, 'apiserver_storage_objects', { resource: 'pods' }) >= 1, 'stored pods');
    for (const [what, text] of [['kubelet', own.body], ['cadvisor', cadvisor.body], ['apiserver', api]] as const) {
      const check = await promtoolCheck(text);
      assert.equal(check.code, 0, `${what}: ${check.output}`);
    }
  });

  it('is scraped by a real prometheus: targets up, request counters and a pod CPU series queryable', async () => {
    const conf = join(dir, 'prometheus');
    await mkdir(join(conf, 'data'), { recursive: true });
    const pki = join(dir, 'server', 'pki');
    for (const f of ['ca.crt', 'admin.crt', 'admin.key']) await copyFile(join(pki, f), join(conf, f));
    const tlsConfig = `tls_config: { ca_file: ${join(conf, 'ca.crt')}, cert_file: ${join(conf, 'admin.crt')}, key_file: ${join(conf, 'admin.key')} }`;
    const kubelet = new URL(kubeletBase).host;
    await writeFile(join(conf, 'prometheus.yml'), `global: { scrape_interval: 1s, scrape_timeout: 1s, evaluation_interval: 1s }
scrape_configs:
  - { job_name: apiserver, scheme: https, ${tlsConfig}, static_configs: [{ targets: ["${new URL(server.url).host}"] }] }
  - { job_name: kubelet, scheme: https, ${tlsConfig}, static_configs: [{ targets: ["${kubelet}"] }] }
  - { job_name: cadvisor, scheme: https, metrics_path: /metrics/cadvisor, ${tlsConfig}, static_configs: [{ targets: ["${kubelet}"] }] }
`);
    const port = await freePort();
    const t0 = Date.now();
    let log = '';
    prometheus = spawn(PROMETHEUS, [`--config.file=${join(conf, 'prometheus.yml')}`, `--storage.tsdb.path=${join(conf, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: ['ignore', 'ignore', 'pipe'] });
    prometheus.stderr?.on('data', (c: Buffer) => (log = (log + c.toString()).slice(-8000)));
    const base = `http://127.0.0.1:${port}`;
    const up = await waitFor('all three targets up', async () => {
      const series = await promQuery(base, 'up').catch(() => []);
      return series.length === 3 && series.every((s) => s.value[1] === '1') ? series : undefined;
    }, 30_000).catch((err: unknown) => assert.fail(`${String(err)}\n${log}`));
    figures.allTargetsUpMs = String(Date.now() - t0);
    assert.deepEqual(up.map((s) => s.metric.job).sort(), ['apiserver', 'cadvisor', 'kubelet']);
    const requests = await promQuery(base, 'sum(apiserver_request_total{resource="pods"})');
    assert.ok(Number(requests[0]?.value[1] ?? 0) > 0, JSON.stringify(requests));
    const cpu = await waitFor('the pod CPU series', async () => {
      const series = await promQuery(base, `container_cpu_usage_seconds_total{namespace="${ns}",pod="scraped",container="main"}`);
      return series.length === 1 ? series : undefined;
    }, 10_000);
    assert.equal(cpu[0]?.metric.job, 'cadvisor');
    assert.ok(Number(cpu[0]?.value[1]) > 0);
    const exited = new Promise((r) => prometheus?.once('exit', r));
    prometheus.kill('SIGTERM');
    await exited;
  });

  it('cleans up: the pod, the server and prometheus are gone and the host is clean', async () => {
    await ok(k, ['delete', 'namespace', ns, '--timeout=30s']);
    assert.equal(await server.stop(), 0, server.logs().slice(-4000));
    assert.notEqual(prometheus?.exitCode ?? prometheus?.signalCode ?? null, null, 'prometheus still running');
    assert.deepEqual(await nodeLeftovers(dir, nodeName), { netns: [], bridge: [], nftTables: [], cgroups: [], mounts: [], runc: [], processes: [], podRecords: [] });
  });
});

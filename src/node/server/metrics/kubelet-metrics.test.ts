import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensurePki, type Pki } from '../../../apiserver/auth/pki.ts';
import { findSamples, sampleSum } from '../../../../test/support/prometheus-text.ts';
import type { ContainerRuntime, ContainerStats, ContainerStatus } from '../../runtime/container-runtime.ts';
import { startAgentServer, type RunningAgentServer } from '../agent-server.ts';
import { renderCadvisor } from './cadvisor-metrics.ts';
import { createKubeletMetrics } from './kubelet-metrics.ts';

const status = (id: string, state: ContainerStatus['state'], pod: string, extra: Partial<ContainerStatus> = {}): ContainerStatus => ({
  id, state, createdAt: '2026-11-22T04:00:00.000Z', startedAt: '2026-11-22T04:00:01.500Z', podUid: `uid-${pod}`, podNamespace: 'ns', podName: pod, containerName: `c-${id}`, labels: {}, ...extra,
});

/** A runtime that only answers what the metrics read: a fixed container list and per-id stats. */
function fakeRuntime(containers: ContainerStatus[], stats: Record<string, ContainerStats>): ContainerRuntime {
  const fail = (): Promise<never> => Promise.reject(new Error('not supported by this fake'));
  return {
    createContainer: async (spec) => spec.id,
    startContainer: async () => undefined,
    stopContainer: fail,
    removeContainer: fail,
    containerStatus: fail,
    listContainers: async () => containers,
    exec: fail,
    stats: async (id) => stats[id] ?? Promise.reject(new Error(`no stats for ${id}`)),
    logPath: (id) => `/nonexistent/${id}.log`,
  };
}

const containers = [status('a', 'running', 'p1'), status('b', 'running', 'p1'), status('c', 'running', 'p2'), status('d', 'exited', 'p3'), status('e', 'running', 'p4')];
const stats: Record<string, ContainerStats> = {
  a: { cpuUsageNanoseconds: 2_500_000_000, memoryWorkingSetBytes: 1000, memoryUsageBytes: 4000, pids: 1 },
  b: { cpuUsageNanoseconds: 1, memoryWorkingSetBytes: 1, memoryUsageBytes: 1, pids: 1 },
  c: { cpuUsageNanoseconds: 0, memoryWorkingSetBytes: 0, memoryUsageBytes: 0, pids: 0 },
};

describe('kubelet metrics', () => {
  it('counts running pods and containers by state from the runtime at scrape time', async () => {
    const listed = [...containers];
    const m = createKubeletMetrics({ nodeName: 'node-x', containers: async () => listed });
    let t = (await m.expose()).body;
    assert.equal(sampleSum(t, 'kubelet_running_pods'), 3);
    assert.equal(sampleSum(t, 'kubelet_running_containers', { container_state: 'running' }), 4);
    assert.equal(sampleSum(t, 'kubelet_running_containers', { container_state: 'exited' }), 1);
    assert.equal(sampleSum(t, 'kubelet_running_containers', { container_state: 'created' }), 0);
    assert.equal(sampleSum(t, 'kubelet_node_name', { node: 'node-x' }), 1);
    assert.equal(findSamples(t, 'process_cpu_seconds_total').length, 1);
    listed.pop();
    t = (await m.expose()).body;
    assert.equal(sampleSum(t, 'kubelet_running_pods'), 2);
  });

  it('observes pod start latency in upstream buckets', async () => {
    const m = createKubeletMetrics({ nodeName: 'n', containers: async () => [] });
    m.podStarted(1.5);
    m.podStarted(40);
    const t = (await m.expose()).body;
    assert.equal(sampleSum(t, 'kubelet_pod_start_duration_seconds_count'), 2);
    assert.equal(sampleSum(t, 'kubelet_pod_start_duration_seconds_bucket', { le: '1' }), 0);
    assert.equal(sampleSum(t, 'kubelet_pod_start_duration_seconds_bucket', { le: '2' }), 1);
    assert.equal(sampleSum(t, 'kubelet_pod_start_duration_seconds_bucket', { le: '45' }), 2);
  });

  it('counts and times runtime operations by type, and their errors', async () => {
    const m = createKubeletMetrics({ nodeName: 'n', containers: async () => [] });
    const rt = m.instrumentRuntime(fakeRuntime(containers, stats));
    await rt.listContainers();
    await rt.listContainers();
    await rt.stats('a');
    await assert.rejects(rt.stats('zzz'));
    const t = (await m.expose()).body;
    assert.equal(sampleSum(t, 'kubelet_runtime_operations_total', { operation_type: 'list_containers' }), 2);
    assert.equal(sampleSum(t, 'kubelet_runtime_operations_total', { operation_type: 'container_stats' }), 2);
    assert.equal(sampleSum(t, 'kubelet_runtime_operations_errors_total', { operation_type: 'container_stats' }), 1);
    assert.equal(sampleSum(t, 'kubelet_runtime_operations_duration_seconds_count', { operation_type: 'list_containers' }), 2);
  });
});

describe('cadvisor metrics', () => {
  it('reports each running container with readable stats, labelled as cAdvisor does', async () => {
    const t = (await renderCadvisor({ runtime: fakeRuntime(containers, stats), imageOf: (_ns, pod, c) => (pod === 'p1' ? `img-of-${c}` : undefined), cgroupOf: (c) => `/minato-n/${c.podUid}/${c.id}` })).body;
    const a = { container: 'c-a', pod: 'p1', namespace: 'ns', id: '/minato-n/uid-p1/a', image: 'img-of-c-a', name: 'a' };
    assert.equal(sampleSum(t, 'container_cpu_usage_seconds_total', a), 2.5);
    assert.equal(sampleSum(t, 'container_memory_working_set_bytes', a), 1000);
    assert.equal(sampleSum(t, 'container_memory_usage_bytes', a), 4000);
    assert.equal(sampleSum(t, 'container_start_time_seconds', a), Date.parse('2026-11-22T04:00:01.500Z') / 1000);
    assert.equal(findSamples(t, 'container_cpu_usage_seconds_total', { name: 'c' })[0]?.labels.image, '');
    // d exited; e has no readable stats (it just exited): neither is reported.
    assert.deepEqual(findSamples(t, 'container_cpu_usage_seconds_total').map((s) => s.labels.name).sort(), ['a', 'b', 'c']);
  });
});

describe('agent server /metrics routes', () => {
  let dir: string;
  let pki: Pki;
  let server: RunningAgentServer;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'minato-kubelet-metrics-'));
    pki = await ensurePki(join(dir, 'pki'), { hosts: [] });
    const runtime = fakeRuntime(containers, stats);
    const metrics = createKubeletMetrics({ nodeName: 'node-r', containers: () => runtime.listContainers() });
    server = await startAgentServer({
      nodeName: 'node-r', port: 0, host: '127.0.0.1', tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert }, runtime,
      resolveContainer: () => undefined, podIp: () => undefined, runningPods: () => [],
      metrics: { kubelet: metrics.expose, cadvisor: () => renderCadvisor({ runtime, imageOf: () => undefined, cgroupOf: () => '' }) },
    });
  });
  after(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  const get = (path: string, withCert = true) =>
    new Promise<{ code: number; body: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: server.port, path, ca: pki.ca.cert, ...(withCert ? { cert: pki.admin.cert, key: pki.admin.key } : {}) }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ code: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });

  it('serves /metrics and /metrics/cadvisor to a client with a cluster certificate, 404 for other metrics paths', async () => {
    const own = await get('/metrics');
    assert.equal(own.code, 200);
    assert.equal(sampleSum(own.body, 'kubelet_node_name', { node: 'node-r' }), 1);
    const cadvisor = await get('/metrics/cadvisor');
    assert.equal(cadvisor.code, 200);
    assert.equal(findSamples(cadvisor.body, 'container_memory_working_set_bytes').length, 3);
    assert.equal((await get('/metrics/probes')).code, 404);
  });

  it('refuses a client without a certificate', async () => {
    await assert.rejects(get('/metrics', false));
  });
});

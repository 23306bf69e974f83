import assert from 'node:assert/strict';
import { request } from 'node:https';
import { after, before, describe, it } from 'node:test';
import { R } from '../../client/resource-ref.ts';
import { eventually } from '../../../test/support/eventually.ts';
import { findSamples, sampleSum } from '../../../test/support/prometheus-text.ts';
import { startTestCluster, type TestCluster } from '../../../test/support/test-cluster.ts';

/** GET `path` as the admin (optionally impersonating), returning status and body. */
function adminGet(c: TestCluster, path: string, headers: Record<string, string> = {}): Promise<{ code: number; body: string; type: string }> {
  const url = new URL(c.server.url);
  const { pki } = c.server;
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, ca: pki.ca.cert, cert: pki.admin.cert, key: pki.admin.key, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ code: res.statusCode ?? 0, body, type: String(res.headers['content-type']) }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function scrape(c: TestCluster): Promise<string> {
  const r = await adminGet(c, '/metrics');
  assert.equal(r.code, 200, r.body);
  return r.body;
}

const pod = (name: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
const podGets = { verb: 'GET', group: '', version: 'v1', resource: 'pods', subresource: '', scope: 'resource', component: 'apiserver' };

describe('API server /metrics', () => {
  let c: TestCluster;
  before(async () => {
    c = await startTestCluster();
  });
  after(async () => {
    await c.stop();
  });

  it('serves the Prometheus text format with process and Node.js metrics', async () => {
    const r = await adminGet(c, '/metrics');
    assert.equal(r.code, 200);
    assert.match(r.type, /^text\/plain; version=0\.0\.4/);
    assert.ok(findSamples(r.body, 'process_cpu_seconds_total').length === 1);
    assert.ok((findSamples(r.body, 'process_resident_memory_bytes')[0]?.value ?? 0) > 0);
    assert.ok(findSamples(r.body, 'nodejs_heap_size_total_bytes').length === 1);
    assert.match(r.body, /# TYPE apiserver_request_duration_seconds histogram/);
  });

  it('counts GETs by verb, resource and code, and times them (3 GETs → +3)', async () => {
    await c.client.create(R.pods, pod('metrics-get'), { namespace: 'default' });
    const before = await scrape(c);
    for (let i = 0; i < 3; i++) await c.client.get(R.pods, 'default', 'metrics-get');
    const after = await scrape(c);
    assert.equal(sampleSum(after, 'apiserver_request_total', { ...podGets, code: '200' }) - sampleSum(before, 'apiserver_request_total', { ...podGets, code: '200' }), 3);
    const count = (t: string) => sampleSum(t, 'apiserver_request_duration_seconds_count', podGets);
    assert.equal(count(after) - count(before), 3);
    assert.equal(findSamples(after, 'apiserver_request_duration_seconds_bucket', { ...podGets, le: '60' }).length, 1);
    assert.ok(sampleSum(after, 'minato_store_request_duration_seconds_count', { operation: 'get', type: 'pods' }) >= 3);
  });

  it('counts a 404 with code 404, and a LIST as LIST', async () => {
    const before = await scrape(c);
    await assert.rejects(c.client.get(R.pods, 'default', 'does-not-exist'), /not found/);
    await c.client.list(R.pods, { namespace: 'default' });
    const after = await scrape(c);
    const delta = (labels: Record<string, string>) => sampleSum(after, 'apiserver_request_total', labels) - sampleSum(before, 'apiserver_request_total', labels);
    assert.equal(delta({ ...podGets, code: '404' }), 1);
    assert.equal(delta({ verb: 'LIST', resource: 'pods', scope: 'namespace', code: '200' }), 1);
  });

  it('shows a watch in apiserver_longrunning_requests, counts its events, and keeps WATCH out of the latency histogram', async () => {
    const stop = new AbortController();
    const events: string[] = [];
    const watching = c.client.watch(R.pods, { namespace: 'default', resourceVersion: (await c.client.list(R.pods, { namespace: 'default' })).metadata.resourceVersion }, (e) => events.push(e.type), stop.signal);
    const watchLabels = { verb: 'WATCH', resource: 'pods', scope: 'namespace' };
    await eventually(async () => assert.equal(sampleSum(await scrape(c), 'apiserver_longrunning_requests', watchLabels), 1));
    const sent = (t: string) => sampleSum(t, 'apiserver_watch_events_total', { group: '', version: 'v1', kind: 'Pod' });
    const before = sent(await scrape(c));
    await c.client.create(R.pods, pod('metrics-watched'), { namespace: 'default' });
    await eventually(() => assert.deepEqual(events, ['ADDED']));
    assert.equal(sent(await scrape(c)) - before, 1);
    stop.abort();
    await watching;
    await eventually(async () => {
      const t = await scrape(c);
      assert.equal(sampleSum(t, 'apiserver_longrunning_requests', watchLabels), 0);
      assert.equal(sampleSum(t, 'apiserver_request_total', { ...watchLabels, code: '200' }), 1);
      assert.equal(findSamples(t, 'apiserver_request_duration_seconds_count', { verb: 'WATCH' }).length, 0);
    });
  });

  it('keeps apiserver_storage_objects in step with creates and deletes', async () => {
    const stored = async () => sampleSum(await scrape(c), 'apiserver_storage_objects', { resource: 'pods' });
    const n = await stored();
    assert.ok(n >= 2, `pods counted: ${n}`);
    await c.client.create(R.pods, pod('metrics-counted'), { namespace: 'default' });
    await eventually(async () => assert.equal(await stored(), n + 1));
    await c.client.delete(R.pods, 'default', 'metrics-counted', { gracePeriodSeconds: 0 });
    await eventually(async () => assert.equal(await stored(), n));
    assert.ok(sampleSum(await scrape(c), 'apiserver_storage_objects', { resource: 'namespaces' }) >= 4);
  });

  it('authorizes /metrics as a non-resource URL: 403 for a plain user, 200 in group system:monitoring', async () => {
    const denied = await adminGet(c, '/metrics', { 'Impersonate-User': 'metrics-reader' });
    assert.equal(denied.code, 403, denied.body);
    assert.match(denied.body, /cannot get path \\?"\/metrics\\?"/);
    const allowed = await adminGet(c, '/metrics', { 'Impersonate-User': 'metrics-reader', 'Impersonate-Group': 'system:monitoring' });
    assert.equal(allowed.code, 200);
    const t = await scrape(c);
    assert.ok(sampleSum(t, 'apiserver_request_total', { verb: 'GET', subresource: '/metrics', code: '403' }) >= 1);
  });
});

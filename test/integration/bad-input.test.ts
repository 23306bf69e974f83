import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startApiServer, type RunningApiServer } from '../../src/apiserver/api-server.ts';
import { apiClient, type ApiClient } from '../../bench/support/api-client.ts';

interface Status {
  kind: string;
  code: number;
  reason: string;
  message: string;
  details?: { causes?: Array<{ field?: string; reason?: string }> };
}

/** Bad requests get a Kubernetes Status with the right code and reason; the server stays healthy throughout. */
describe('bad input', () => {
  let server: RunningApiServer;
  let dir: string;
  let api: ApiClient;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'minato-bad-input-'));
    server = await startApiServer({ dataDir: dir, port: 0 });
    api = apiClient(server.kubeconfigPath, 8);
  });

  after(async () => {
    api.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function send(method: string, path: string, body: string | undefined, contentType = 'application/json'): Promise<{ status: number; json: Status }> {
    const r = await api.raw(method, path, body, contentType);
    return { status: r.status, json: JSON.parse(r.body) as Status };
  }

  async function expectStatus(method: string, path: string, body: string | undefined, code: number, reason: string, contentType?: string): Promise<Status> {
    const { status, json } = await send(method, path, body, contentType);
    assert.equal(status, code, `${method} ${path} → ${status} ${JSON.stringify(json)}`);
    assert.equal(json.kind, 'Status');
    assert.equal(json.code, code);
    assert.equal(json.reason, reason);
    return json;
  }

  const cm = (name: string, extra: Record<string, unknown> = {}) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, ...extra });

  it('answers malformed and mistyped bodies with 400', async () => {
    await expectStatus('POST', '/api/v1/namespaces/default/configmaps', '{"apiVersion": "v1", ', 400, 'BadRequest');
    await expectStatus('POST', '/api/v1/namespaces/default/configmaps', 'kind: ConfigMap\n  bad: [', 400, 'BadRequest', 'application/yaml');
    await expectStatus('POST', '/api/v1/namespaces/default/configmaps', '[1,2]', 400, 'BadRequest');
    await expectStatus('POST', '/apis/apps/v1/namespaces/default/deployments', JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { replicas: 'three' } }), 400, 'BadRequest');
    await expectStatus('POST', '/api/v1/namespaces/default/configmaps?fieldValidation=Strict', cm('strict', { bogus: 1 }), 400, 'BadRequest');
    await expectStatus('POST', '/api/v1/namespaces/default/configmaps', cm('x'), 415, 'UnsupportedMediaType', 'text/html');
  });

  it('answers invalid objects with 422 and field causes', async () => {
    const s = await expectStatus('POST', '/api/v1/namespaces/default/configmaps', cm('Not_Valid'), 422, 'Invalid');
    assert.equal(s.details?.causes?.[0]?.field, 'metadata.name');
    const d = await expectStatus('POST', '/apis/apps/v1/namespaces/default/deployments', JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'neg' }, spec: { replicas: -1, selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } } }), 422, 'Invalid');
    assert.ok(d.details?.causes?.some((c) => c.field === 'spec.replicas'));
  });

  it('answers unknown resources and missing objects with 404, duplicates and stale writes with 409', async () => {
    await expectStatus('GET', '/api/v1/namespaces/default/widgets', undefined, 404, 'NotFound');
    await expectStatus('GET', '/apis/nope.example.com/v1/things', undefined, 404, 'NotFound');
    await expectStatus('GET', '/api/v1/namespaces/default/configmaps/missing', undefined, 404, 'NotFound');
    await expectStatus('POST', '/api/v1/namespaces/missing-ns/configmaps', cm('x'), 404, 'NotFound');
    const created = await send('POST', '/api/v1/namespaces/default/configmaps', cm('dup'));
    assert.equal(created.status, 201);
    await expectStatus('POST', '/api/v1/namespaces/default/configmaps', cm('dup'), 409, 'AlreadyExists');
    const rv = (created.json as unknown as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
    await send('PUT', '/api/v1/namespaces/default/configmaps/dup', cm('dup', { data: { a: '1' } }));
    await expectStatus('PUT', '/api/v1/namespaces/default/configmaps/dup', JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dup', resourceVersion: rv }, data: { b: '2' } }), 409, 'Conflict');
  });

  it('answers oversized bodies with 413 and bad patches with 400/422', async () => {
    await expectStatus('POST', '/api/v1/namespaces/default/configmaps', cm('big', { data: { a: 'x'.repeat(4 * 1024 * 1024) } }), 413, 'RequestEntityTooLarge');
    await send('POST', '/api/v1/namespaces/default/configmaps', cm('p'));
    await expectStatus('PATCH', '/api/v1/namespaces/default/configmaps/p', '{"op":"add"}', 400, 'BadRequest', 'application/json-patch+json');
    await expectStatus('PATCH', '/api/v1/namespaces/default/configmaps/p', JSON.stringify([{ op: 'test', path: '/data/a', value: 'zzz' }]), 422, 'Invalid', 'application/json-patch+json');
    await expectStatus('PATCH', '/api/v1/namespaces/default/configmaps/p', 'not json', 400, 'BadRequest', 'application/merge-patch+json');
    await expectStatus('PATCH', '/api/v1/namespaces/default/configmaps/p', '{}', 415, 'UnsupportedMediaType', 'application/xml');
  });

  it('survives a storm of generated bad requests without a 5xx', async () => {
    const fragments = ['{', '}', '[', '"', 'null', '1e999', '{"metadata":', '{"kind":"Pod"}', '\u0000', '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"', 'a'.repeat(300), '"}}', '{"spec":{"containers":"x"}}', '---\n', ': -'];
    const paths = ['/api/v1/namespaces/default/configmaps', '/api/v1/namespaces/default/pods', '/apis/apps/v1/namespaces/default/deployments', '/api/v1/namespaces', '/apis/batch/v1/namespaces/default/jobs', '/api/v1/namespaces/default/services'];
    const types = ['application/json', 'application/yaml', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/json-patch+json', 'application/apply-patch+yaml', 'application/vnd.kubernetes.protobuf'];
    let seed = 42;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const codes = new Map<number, number>();
    for (let i = 0; i < 300; i++) {
      const body = Array.from({ length: 1 + rand(5) }, () => fragments[rand(fragments.length)]).join('');
      const method = ['POST', 'PUT', 'PATCH'][rand(3)] as string;
      const path = `${paths[rand(paths.length)]}${method === 'POST' ? '' : '/x'}`;
      const r = await api.raw(method, path, body, types[rand(types.length)] as string);
      codes.set(r.status, (codes.get(r.status) ?? 0) + 1);
      assert.ok(r.status < 500, `${method} ${path} with ${JSON.stringify(body).slice(0, 120)} → ${r.status} ${r.body.slice(0, 300)}`);
      const parsed = JSON.parse(r.body) as { kind?: string };
      if (r.status >= 400) assert.equal(parsed.kind, 'Status');
    }
    const health = await api.call('GET', '/healthz');
    assert.equal(health.status, 200);
    assert.ok((codes.get(400) ?? 0) > 0, `codes: ${JSON.stringify([...codes])}`);
  });
});

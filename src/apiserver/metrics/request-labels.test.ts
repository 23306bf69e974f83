import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryBackend } from '../../storage/memory/memory-backend.ts';
import type { Store } from '../../storage/types.ts';
import { classifyRequest, type RequestFacts } from './request-labels.ts';
import { Registry } from 'prom-client';
import { applyEvents, countObjects, registerStorageObjectCounts } from './storage-object-counts.ts';
import { resourceOfKey } from './store-metrics.ts';

const known: RequestFacts['known'] = (group, version, resource) => `${group}/${version}/${resource}` !== '/v1/widgets';
const classify = (method: string, url: string, extra: Partial<RequestFacts> = {}) => classifyRequest({ method, url, known, ...extra });

describe('classifyRequest', () => {
  it('reports GET, LIST and WATCH with upstream scopes', () => {
    assert.deepEqual(classify('GET', '/api/v1/namespaces/ns/pods/p').labels, { verb: 'GET', dry_run: '', group: '', version: 'v1', resource: 'pods', subresource: '', scope: 'resource', component: 'apiserver' });
    assert.equal(classify('GET', '/api/v1/namespaces/ns/pods').labels.verb, 'LIST');
    assert.equal(classify('GET', '/api/v1/namespaces/ns/pods').labels.scope, 'namespace');
    assert.equal(classify('GET', '/apis/apps/v1/deployments').labels.scope, 'cluster');
    const watch = classify('GET', '/api/v1/pods?watch=true');
    assert.equal(watch.labels.verb, 'WATCH');
    assert.equal(watch.longRunning, true);
  });

  it('reports writes by HTTP method, server-side apply as APPLY, and dry runs', () => {
    const create = classify('POST', '/apis/apps/v1/namespaces/ns/deployments?dryRun=All');
    assert.equal(create.labels.verb, 'POST');
    assert.equal(create.labels.scope, 'resource');
    assert.equal(create.labels.dry_run, 'All');
    assert.equal(create.requestKind, 'mutating');
    assert.equal(classify('PATCH', '/api/v1/namespaces/ns/pods/p', { contentType: 'application/apply-patch+yaml' }).labels.verb, 'APPLY');
    assert.equal(classify('PATCH', '/api/v1/namespaces/ns/pods/p', { contentType: 'application/merge-patch+json' }).labels.verb, 'PATCH');
    assert.equal(classify('DELETE', '/api/v1/namespaces/ns/pods').labels.verb, 'DELETE');
  });

  it('treats logs as long-running GETs and exec upgrades as CONNECT', () => {
    const log = classify('GET', '/api/v1/namespaces/ns/pods/p/log?follow=true');
    assert.equal(log.labels.verb, 'GET');
    assert.equal(log.labels.subresource, 'log');
    assert.equal(log.longRunning, true);
    const exec = classify('GET', '/api/v1/namespaces/ns/pods/p/exec?command=sh', { upgrade: true });
    assert.equal(exec.labels.verb, 'CONNECT');
    assert.equal(exec.longRunning, true);
  });

  it('labels non-resource paths by their root and drops unknown resources and odd methods', () => {
    assert.deepEqual(classify('GET', '/healthz/ping').labels, { verb: 'GET', dry_run: '', group: '', version: '', resource: '', subresource: '/healthz', scope: '', component: '' });
    assert.equal(classify('GET', '/some/random/path').labels.subresource, '');
    const unknown = classify('GET', '/api/v1/namespaces/ns/widgets/w');
    assert.equal(unknown.labels.resource, '');
    assert.equal(unknown.labels.version, '');
    assert.equal(classify('PROPFIND', '/api/v1/pods').labels.verb, 'other');
    assert.equal(classify('GET', '/metrics').requestKind, 'readOnly');
  });
});

describe('apiserver_storage_objects bookkeeping', () => {
  it('names resources as upstream from store keys', () => {
    assert.equal(resourceOfKey('/registry/core/pods/ns/p'), 'pods');
    assert.equal(resourceOfKey('/registry/apps/deployments/'), 'deployments.apps');
    assert.equal(resourceOfKey('/elsewhere/x'), '');
  });

  it('counts once across pages, then follows creates and deletes (updates change nothing)', async () => {
    const store = new MemoryBackend();
    for (let i = 0; i < 1203; i++) await store.create(`/registry/core/configmaps/ns/c${i}`, '{}');
    await store.create('/registry/apps/deployments/ns/d', '{}');
    const { counts, revision } = await countObjects(store);
    assert.deepEqual(Object.fromEntries(counts), { configmaps: 1203, 'deployments.apps': 1 });
    assert.equal(revision, await store.currentRevision());
    const kv = (key: string) => ({ key, value: '{}', createRevision: 1, modRevision: 1 });
    applyEvents(counts, [
      { type: 'create', kv: kv('/registry/apps/deployments/ns/e') },
      { type: 'update', kv: kv('/registry/apps/deployments/ns/e') },
      { type: 'delete', kv: kv('/registry/core/configmaps/ns/c0') },
    ]);
    assert.deepEqual(Object.fromEntries(counts), { configmaps: 1202, 'deployments.apps': 2 });
    await store.close();
  });

  it('answers a scrape without the gauge when counting fails, and counts on the next one', async () => {
    const store = new MemoryBackend();
    await store.create('/registry/core/pods/ns/p', '{}');
    let broken = true;
    const flaky: Store = Object.assign(Object.create(store) as Store, { list: (o: Parameters<Store['list']>[0]) => (broken ? Promise.reject(new Error('store down')) : store.list(o)) });
    const registry = new Registry();
    const stop = new AbortController();
    registerStorageObjectCounts({ registry, store: flaky, signal: stop.signal });
    assert.doesNotMatch(await registry.metrics(), /apiserver_storage_objects\{/);
    broken = false;
    assert.match(await registry.metrics(), /apiserver_storage_objects\{resource="pods"\} 1/);
    await store.create('/registry/core/pods/ns/q', '{}');
    await new Promise((r) => setImmediate(r));
    assert.match(await registry.metrics(), /apiserver_storage_objects\{resource="pods"\} 2/);
    stop.abort();
    await store.close();
  });
});

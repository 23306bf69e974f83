import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ConfigMap } from 'kubernetes-types/core/v1.js';
import { startApiServer, type RunningApiServer } from '../apiserver/api-server.ts';
import { startTestCluster, type TestCluster } from '../../test/support/test-cluster.ts';
import { connectionFromKubeconfig } from './connection.ts';
import { Informer } from './informer.ts';
import { KubeClient, type WatchEvent, type WatchOptions } from './kube-client.ts';
import { R, type ResourceRef } from './resource-ref.ts';

async function until(cond: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * Counts lists, so a test can tell a relist from a resumed watch, and can hold watches back so
 * the history they would resume from is compacted meanwhile.
 */
class GatedClient extends KubeClient {
  lists = 0;
  private gate: Promise<void> = Promise.resolve();
  private open: () => void = () => undefined;
  override listAll<T>(...args: Parameters<KubeClient['listAll']>) {
    this.lists++;
    return super.listAll<T>(...args);
  }
  override async watch<T>(r: ResourceRef, opts: WatchOptions, onEvent: (e: WatchEvent<T>) => void, signal: AbortSignal): Promise<void> {
    await this.gate;
    return super.watch<T>(r, opts, onEvent, signal);
  }
  holdWatches(): void {
    this.gate = new Promise((r) => (this.open = r));
  }
  releaseWatches(): void {
    this.open();
  }
}

const cm = (name: string, data: Record<string, string> = {}): ConfigMap => ({ metadata: { name, namespace: 'default' }, data });

/** Records every handler call so tests can assert what the informer delivered. */
function recorder(inf: Informer<ConfigMap>) {
  const events: string[] = [];
  inf.on({
    add: (o) => events.push(`add ${o.metadata?.name ?? ''}`),
    update: (_old, o) => events.push(`update ${o.metadata?.name ?? ''} ${o.data?.v ?? ''}`),
    delete: (o) => events.push(`delete ${o.metadata?.name ?? ''}`),
  });
  return events;
}

async function sameAsServer(client: KubeClient, inf: Informer<ConfigMap>): Promise<void> {
  const server = await client.list<ConfigMap>(R.configmaps, { namespace: 'default' });
  const want = server.items.map((o) => `${o.metadata?.name ?? ''}@${o.metadata?.resourceVersion ?? ''}`).sort();
  await until(() => inf.list().map((o) => `${o.metadata?.name ?? ''}@${o.metadata?.resourceVersion ?? ''}`).sort().join() === want.join(), 'cache to equal server state');
}

describe('Informer against a real API server', () => {
  let cluster: TestCluster;
  before(async () => (cluster = await startTestCluster()));
  after(() => cluster.stop());

  it('delivers add, update and delete and mirrors the server', async () => {
    const ctl = new AbortController();
    const inf = new Informer<ConfigMap>(cluster.client, R.configmaps, { namespace: 'default' });
    const events = recorder(inf);
    await cluster.client.create(R.configmaps, cm('pre'));
    void inf.run(ctl.signal);
    await inf.waitForSync();
    assert.ok(inf.hasSynced());
    assert.ok(inf.get('default/pre'), 'listed object is cached');
    await cluster.client.create(R.configmaps, cm('a', { v: '1' }));
    await cluster.client.patch(R.configmaps, 'default', 'a', 'merge', { data: { v: '2' } });
    await cluster.client.delete(R.configmaps, 'default', 'pre');
    await until(() => events.includes('delete pre') && events.includes('update a 2'), 'events');
    assert.deepEqual(events, ['add pre', 'add a', 'update a 2', 'delete pre']);
    await sameAsServer(cluster.client, inf);
    assert.equal(inf.get('default/a')?.data?.v, '2');
    ctl.abort();
  });
});

describe('Informer relist after 410 Gone', () => {
  let server: RunningApiServer;
  let dataDir: string;
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'minato-informer-'));
    server = await startApiServer({ dataDir, port: 0, storeUrl: 'memory://', compactionIntervalMs: 20, compactionRetain: 1 });
  });
  after(async () => {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('relists when its watch resumes from a compacted resourceVersion, and reports deletes it missed', async () => {
    const conn = await connectionFromKubeconfig(server.kubeconfigPath);
    const admin = new KubeClient(conn);
    const gated = new GatedClient(conn);
    const errors: unknown[] = [];
    const inf = new Informer<ConfigMap>(gated, R.configmaps, { namespace: 'default', onError: (e) => errors.push(e) });
    const events = recorder(inf);
    const ctl = new AbortController();
    await admin.create(R.configmaps, cm('old'));
    gated.holdWatches();
    void inf.run(ctl.signal);
    await inf.waitForSync();

    // The informer has listed; before its watch starts, history moves on and is compacted away.
    await admin.delete(R.configmaps, 'default', 'old');
    for (let i = 0; i < 5; i++) await admin.create(R.configmaps, cm(`new-${i}`));
    await new Promise((r) => setTimeout(r, 100));
    gated.releaseWatches();

    await until(() => events.includes('delete old') && events.filter((e) => e.startsWith('add new-')).length === 5, 'relist events', 10_000);
    await sameAsServer(admin, inf);
    assert.equal(gated.lists, 2, 'one initial list and one relist');
    assert.deepEqual(errors, [], 'the 410 is handled as a relist, not a failure');
    ctl.abort();
    gated.close();
    admin.close();
  });
});

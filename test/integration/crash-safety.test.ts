import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { startEtcd } from '../../src/storage/testing/etcd-process.ts';
import { startServerProcess } from '../support/minato-server.ts';
import { waitFor } from '../support/eventually.ts';

const WRITERS = 32;

function client(kubeconfig: string): k8s.CoreV1Api {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(kubeconfig);
  return kc.makeApiClient(k8s.CoreV1Api);
}

/**
 * SIGKILL `minato server` in the middle of a concurrent write load, restart it on the same data:
 * every write it acknowledged must be there, revisions must keep increasing, and a watch from the
 * last revision a client saw must resume without loss.
 */
async function killDuringWrites(store: (dataDir: string) => Promise<{ url?: string; cleanup: () => Promise<void> }>): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'minato-crash-'));
  const backing = await store(dataDir);
  try {
    const first = await startServerProcess({ dataDir, store: backing.url });
    const api = client(first.kubeconfig);
    const acknowledged = new Map<string, number>();
    let stopping = false;
    const writer = async (w: number) => {
      for (let i = 0; !stopping; i++) {
        const name = `w${w}-${i}`;
        try {
          const cm = await api.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name }, data: { i: String(i) } } });
          acknowledged.set(name, Number(cm.metadata?.resourceVersion));
        } catch {
          return; // the server died under us: this write was never acknowledged
        }
      }
    };
    const writers = Array.from({ length: WRITERS }, (_, w) => writer(w));
    // Kill mid-stream once enough writes went through (a time-based wait gives too few on a loaded machine).
    await waitFor('60 acknowledged writes', async () => (acknowledged.size >= 60 ? true : undefined), 60_000, 10);
    await first.stop('SIGKILL');
    stopping = true;
    await Promise.all(writers);
    assert.ok(acknowledged.size > 50, `only ${acknowledged.size} writes were acknowledged before the kill`);
    const lastSeen = Math.max(...acknowledged.values());

    const second = await startServerProcess({ dataDir, store: backing.url });
    try {
      const api2 = client(second.kubeconfig);
      const list = await api2.listNamespacedConfigMap({ namespace: 'default' });
      const stored = new Map(list.items.map((c) => [c.metadata?.name ?? '', Number(c.metadata?.resourceVersion)]));
      for (const [name, rv] of acknowledged) assert.equal(stored.get(name), rv, `acknowledged write ${name}@${rv} lost`);
      assert.ok(Number(list.metadata?.resourceVersion) >= lastSeen, 'list revision went backwards');

      const created = await api2.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'after-restart' } } });
      assert.ok(Number(created.metadata?.resourceVersion) > lastSeen, 'revisions are not monotonic across the restart');

      const kc = new k8s.KubeConfig();
      kc.loadFromFile(second.kubeconfig);
      const events: string[] = [];
      const done = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`watch saw ${events.join(',')}`)), 10_000);
        void new k8s.Watch(kc).watch('/api/v1/namespaces/default/configmaps', { resourceVersion: String(lastSeen) }, (type, obj: k8s.V1ConfigMap) => {
          events.push(`${type} ${obj.metadata?.name ?? ''}`);
          if (obj.metadata?.name === 'after-restart') {
            clearTimeout(timer);
            resolve();
          }
        }, () => undefined).then((req) => done.finally(() => req.abort()));
      });
      await done;
      assert.equal(events.at(-1), 'ADDED after-restart');
      for (const e of events) assert.ok(!acknowledged.has(e.split(' ')[1] ?? '') || acknowledged.get(e.split(' ')[1] ?? '')! > lastSeen, `replayed an event older than ${lastSeen}: ${e}`);
    } finally {
      await second.stop();
    }
  } finally {
    await backing.cleanup();
    await rm(dataDir, { recursive: true, force: true });
  }
}

describe('crash safety of minato server', { timeout: 120_000 }, () => {
  it('keeps every acknowledged write on SQLite', () => killDuringWrites(async () => ({ cleanup: async () => undefined })));

  it('keeps every acknowledged write on etcd', () =>
    killDuringWrites(async () => {
      const etcd = await startEtcd();
      return { url: etcd.url.replace(/^http:/, 'etcd:'), cleanup: () => etcd.stop() };
    }));
});

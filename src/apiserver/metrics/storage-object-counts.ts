/**
 * `apiserver_storage_objects{resource}`: objects stored per resource. Upstream asks etcd for a
 * keys-only count every minute; SQLite has no cheap count, so this counts once (one paged scan of
 * `/registry/`, on the first scrape, so a never-scraped server pays nothing) and then follows a
 * store watch from that revision: a create adds one, a delete removes one. A broken watch
 * (compaction, store restart) makes the next scrape count again.
 */
import { Gauge, type Registry } from 'prom-client';
import type { Store, WatchEvent } from '../../storage/types.ts';
import { resourceOfKey } from './store-metrics.ts';

const PREFIX = '/registry/';
const PAGE = 500;

/** Counts per resource at one revision, from a paged scan. */
export async function countObjects(store: Store): Promise<{ counts: Map<string, number>; revision: number }> {
  const counts = new Map<string, number>();
  let revision = 0;
  let startAfter: string | undefined;
  for (;;) {
    const page = await store.list({ prefix: PREFIX, revision: revision || undefined, limit: PAGE, startAfter });
    revision = page.revision;
    for (const kv of page.items) {
      const resource = resourceOfKey(kv.key);
      if (resource) counts.set(resource, (counts.get(resource) ?? 0) + 1);
    }
    const last = page.items.at(-1);
    if (!page.more || !last) return { counts, revision };
    startAfter = last.key;
  }
}

/** Applies one batch of watch events to the counts. */
export function applyEvents(counts: Map<string, number>, events: WatchEvent[]): void {
  for (const e of events) {
    const resource = resourceOfKey(e.kv.key);
    if (!resource || e.type === 'update') continue;
    counts.set(resource, (counts.get(resource) ?? 0) + (e.type === 'create' ? 1 : -1));
  }
}

/** Registers `apiserver_storage_objects` on `registry`, fed from `store` until `signal` aborts. */
export function registerStorageObjectCounts(d: { registry: Registry; store: Store; signal: AbortSignal }): void {
  let tracked: Promise<Map<string, number>> | undefined;
  const start = async (): Promise<Map<string, number>> => {
    const { counts, revision } = await countObjects(d.store);
    const onError = () => {
      tracked = undefined;
    };
    await d.store.watch({ prefix: PREFIX, afterRevision: revision, signal: d.signal, onEvents: (events) => applyEvents(counts, events), onError });
    return counts;
  };
  new Gauge({
    name: 'apiserver_storage_objects',
    help: 'Number of stored objects at the time of last check split by kind.',
    labelNames: ['resource'],
    registers: [d.registry],
    async collect() {
      if (d.signal.aborted) return;
      tracked ??= start();
      // A failed count leaves the gauge empty for this scrape (the rest of /metrics still answers); the next one counts again.
      const counts = await tracked.catch(() => {
        tracked = undefined;
        return new Map<string, number>();
      });
      this.reset();
      for (const [resource, n] of counts) this.set({ resource }, n);
    },
  });
}

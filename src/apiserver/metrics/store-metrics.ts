/**
 * Storage metrics. `minato_store_request_duration_seconds{operation,type}` times every call into
 * the storage backend (SQLite, etcd or memory — hence not upstream's `etcd_request_duration_seconds`,
 * which names one backend; the buckets and labels are the same). `type` is the resource the key
 * belongs to, spelled as upstream's `resource` labels (`pods`, `deployments.apps`).
 */
import { Histogram, type Registry } from 'prom-client';
import type { ListOptions, Store, WatchOptions } from '../../storage/types.ts';

const DURATION_BUCKETS = [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60];

/**
 * The resource a store key or prefix belongs to: `/registry/core/pods/ns/x` → `pods`,
 * `/registry/apps/deployments/` → `deployments.apps`; '' for keys outside the registry layout.
 */
export function resourceOfKey(key: string): string {
  const [root, group, plural] = key.split('/').slice(1);
  if (root !== 'registry' || !group || !plural) return '';
  return group === 'core' ? plural : `${plural}.${group}`;
}

/** Wraps `store` so each call is timed into `minato_store_request_duration_seconds` on `registry`. */
export function instrumentStore(store: Store, registry: Registry): Store {
  const duration = new Histogram({
    name: 'minato_store_request_duration_seconds',
    help: 'Storage backend request latency in seconds for each operation and resource type.',
    labelNames: ['operation', 'type'],
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const timed = async <T>(operation: string, key: string, fn: () => Promise<T>): Promise<T> => {
    const end = duration.startTimer({ operation, type: resourceOfKey(key) });
    try {
      return await fn();
    } finally {
      end();
    }
  };
  return {
    get: (key) => timed('get', key, () => store.get(key)),
    list: (opts: ListOptions) => timed('list', opts.prefix, () => store.list(opts)),
    create: (key, value) => timed('create', key, () => store.create(key, value)),
    update: (key, value, rev) => timed('update', key, () => store.update(key, value, rev)),
    delete: (key, rev) => timed('delete', key, () => store.delete(key, rev)),
    watch: (opts: WatchOptions) => timed('watch', opts.prefix, () => store.watch(opts)),
    currentRevision: () => store.currentRevision(),
    compactedRevision: () => store.compactedRevision(),
    compact: (revision) => timed('compact', '', () => store.compact(revision)),
    close: () => store.close(),
  };
}

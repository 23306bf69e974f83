import { noop } from 'cockatiel';
import { Etcd3 } from 'etcd3';
import { isStorageError, type KeyValue, type ListOptions, type ListResult, type Store, type WatchOptions } from '../types.ts';
import { checkWatchStart, compactTo, findCompactedRevision } from './compact.ts';
import { EtcdKeys } from './etcd-keys.ts';
import { toStorageError } from './etcd-errors.ts';
import { currentRevision, getKey, listKeys } from './read.ts';
import { openWatch } from './watch.ts';
import { createKey, deleteKey, updateKey, type EtcdContext } from './write.ts';

export interface EtcdBackendConfig {
  /** Client URLs, e.g. ["http://127.0.0.1:2379"]. */
  hosts: string[];
  /** Prepended to every key, so several servers or tests can share one etcd (default ""). */
  keyPrefix?: string;
}

/**
 * A Store on etcd v3. Revisions are etcd's own (mod_revision / create_revision), so they are global
 * across key prefixes: monotonic, but with gaps when others write to the same etcd.
 */
export class EtcdBackend implements Store {
  private readonly client: Etcd3;
  private readonly ctx: EtcdContext;

  constructor(config: EtcdBackendConfig) {
    this.client = new Etcd3({
      hosts: config.hosts,
      // Lists of large objects can exceed gRPC's default 4 MiB message limit.
      grpcOptions: { 'grpc.max_receive_message_length': -1, 'grpc.max_send_message_length': -1 },
      // The client's default circuit breaker turns a few slow answers under load into minutes of
      // refused writes, and its retries can apply a write twice; the API server reports and the
      // caller retries instead.
      faultHandling: { host: () => noop, global: noop },
    });
    this.ctx = { kv: this.client.kv, keys: new EtcdKeys(config.keyPrefix ?? '') };
  }

  get(key: string): Promise<KeyValue | undefined> {
    return this.mapErrors(() => getKey(this.ctx, key));
  }

  list(opts: ListOptions): Promise<ListResult> {
    return this.mapErrors(() => listKeys(this.ctx, opts));
  }

  create(key: string, value: string): Promise<number> {
    return this.mapErrors(() => createKey(this.ctx, key, value));
  }

  update(key: string, value: string, expectedModRevision: number): Promise<number> {
    return this.mapErrors(() => updateKey(this.ctx, key, value, expectedModRevision));
  }

  delete(key: string, expectedModRevision?: number): Promise<{ revision: number; prev: KeyValue }> {
    return this.mapErrors(() => deleteKey(this.ctx, key, expectedModRevision));
  }

  watch(opts: WatchOptions): Promise<void> {
    return this.mapErrors(async () => {
      await checkWatchStart(this.ctx, opts.afterRevision);
      await openWatch(this.client.watchClient, this.ctx.keys, opts);
    });
  }

  currentRevision(): Promise<number> {
    return this.mapErrors(() => currentRevision(this.ctx));
  }

  compactedRevision(): Promise<number> {
    return this.mapErrors(() => findCompactedRevision(this.ctx));
  }

  compact(revision: number): Promise<void> {
    return this.mapErrors(() => compactTo(this.ctx, revision));
  }

  async close(): Promise<void> {
    this.client.close();
  }

  /** Runs an etcd call, translating its errors; a Compacted error gets the compacted revision filled in. */
  private async mapErrors<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      const mapped = toStorageError(err);
      if (isStorageError(mapped, 'Compacted') && mapped.revision === undefined) {
        throw toStorageError(err, await findCompactedRevision(this.ctx).catch(() => undefined));
      }
      throw mapped;
    }
  }
}

import type { ObjectLike } from '../api/types.ts';
import { isGone } from './api-error.ts';
import { realClock, type Clock } from './clock.ts';
import type { KubeClient } from './kube-client.ts';
import type { ResourceRef } from './resource-ref.ts';

export interface InformerHandlers<T> {
  add?(obj: T): void;
  update?(oldObj: T, newObj: T): void;
  delete?(obj: T): void;
}

export interface InformerOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Periodically re-delivers every cached object as an update (0: never). */
  resyncMs?: number;
  clock?: Clock;
  /** Called when the list or watch fails (the informer retries on its own). */
  onError?: (err: unknown) => void;
}

/** `namespace/name`, or `name` for cluster-scoped objects: the key caches and queues use. */
export function objectKey(obj: ObjectLike): string {
  const ns = obj.metadata?.namespace;
  return ns ? `${ns}/${obj.metadata?.name ?? ''}` : (obj.metadata?.name ?? '');
}

/** A read-only view of an informer's cache. Objects in it are shared: copy before changing. */
export interface Lister<T> {
  get(key: string): T | undefined;
  list(filter?: (obj: T) => boolean): T[];
  byNamespace(namespace: string): T[];
}

/**
 * List + watch cache of one resource (client-go's reflector + indexer): lists, then watches from
 * the list's resourceVersion, relists on 410 Gone or when the stream breaks, and tells handlers.
 */
export class Informer<T extends ObjectLike = ObjectLike> implements Lister<T> {
  private readonly cache = new Map<string, T>();
  private readonly handlers: InformerHandlers<T>[] = [];
  private synced = false;
  private syncedWaiters: Array<() => void> = [];
  private readonly clock: Clock;

  constructor(
    private readonly client: KubeClient,
    readonly resource: ResourceRef,
    private readonly opts: InformerOptions = {},
  ) {
    this.clock = opts.clock ?? realClock;
  }

  on(h: InformerHandlers<T>): void {
    this.handlers.push(h);
  }

  get(key: string): T | undefined {
    return this.cache.get(key);
  }

  list(filter?: (obj: T) => boolean): T[] {
    const all = [...this.cache.values()];
    return filter ? all.filter(filter) : all;
  }

  byNamespace(namespace: string): T[] {
    return this.list((o) => o.metadata?.namespace === namespace);
  }

  hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves once the first list has been delivered. */
  waitForSync(): Promise<void> {
    return this.synced ? Promise.resolve() : new Promise((r) => this.syncedWaiters.push(r));
  }

  /** Runs until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    let failures = 0;
    const resync = this.opts.resyncMs ? setInterval(() => this.resync(), this.opts.resyncMs) : undefined;
    try {
      while (!signal.aborted) {
        try {
          const rv = await this.relist();
          failures = 0;
          await this.watchFrom(rv, signal);
        } catch (err) {
          if (signal.aborted) break;
          this.opts.onError?.(err);
          failures++;
          await this.clock.sleep(Math.min(100 * 2 ** failures, 10_000), signal);
        }
      }
    } finally {
      if (resync) clearInterval(resync);
    }
  }

  private async relist(): Promise<string> {
    const page = await this.client.listAll<T>(this.resource, { namespace: this.opts.namespace, labelSelector: this.opts.labelSelector, fieldSelector: this.opts.fieldSelector });
    const seen = new Set<string>();
    for (const obj of page.items) {
      const key = objectKey(obj);
      seen.add(key);
      this.upsert(key, obj);
    }
    for (const [key, old] of this.cache) {
      if (!seen.has(key)) {
        this.cache.delete(key);
        for (const h of this.handlers) h.delete?.(old);
      }
    }
    if (!this.synced) {
      this.synced = true;
      for (const w of this.syncedWaiters) w();
      this.syncedWaiters = [];
    }
    return page.metadata.resourceVersion ?? '0';
  }

  /** Watches until the stream ends; the caller then relists (or, for a plain close, re-watches). */
  private async watchFrom(resourceVersion: string, signal: AbortSignal): Promise<void> {
    let rv = resourceVersion;
    while (!signal.aborted) {
      let expired = false;
      await this.client.watch<T>(
        this.resource,
        { namespace: this.opts.namespace, labelSelector: this.opts.labelSelector, fieldSelector: this.opts.fieldSelector, resourceVersion: rv, allowWatchBookmarks: true, timeoutSeconds: 300 + Math.floor(Math.random() * 300) },
        (e) => {
          if (e.type === 'ERROR') {
            expired = (e.object as unknown as { code?: number }).code === 410;
            return;
          }
          rv = e.object.metadata?.resourceVersion ?? rv;
          if (e.type === 'BOOKMARK') return;
          const key = objectKey(e.object);
          if (e.type === 'DELETED') {
            const old = this.cache.get(key) ?? e.object;
            this.cache.delete(key);
            for (const h of this.handlers) h.delete?.(old);
          } else this.upsert(key, e.object);
        },
        signal,
      ).catch((err: unknown) => {
        if (isGone(err)) expired = true;
        else throw err;
      });
      if (expired) return;
    }
  }

  private upsert(key: string, obj: T): void {
    const old = this.cache.get(key);
    this.cache.set(key, obj);
    if (!old) for (const h of this.handlers) h.add?.(obj);
    else if (old.metadata?.resourceVersion !== obj.metadata?.resourceVersion) for (const h of this.handlers) h.update?.(old, obj);
  }

  private resync(): void {
    for (const obj of this.cache.values()) for (const h of this.handlers) h.update?.(obj, obj);
  }
}

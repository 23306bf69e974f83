import type { ResourceDefinition } from '../../api/resource-definition.ts';
import type { KubeObject } from '../../api/types.ts';
import type { ObjectStore } from './object-store.ts';
import { decodeStored } from './object-store.ts';

/**
 * An in-memory copy of one small resource (namespaces, quotas, limit ranges, priority classes)
 * that admission reads on every create instead of querying the store. Kept current by this
 * server's own writes at once (`apply`) and by a store watch for writes of other servers.
 */
export class ObjectCache {
  private readonly byKey = new Map<string, KubeObject>();
  private revision = 0;

  constructor(readonly resource: ResourceDefinition) {}

  async start(objects: ObjectStore, signal: AbortSignal, onError: (err: unknown) => void): Promise<void> {
    const listed = await objects.list(this.resource, {});
    for (const o of listed.items) this.put(o);
    this.revision = Number(listed.resourceVersion);
    await objects.watch(
      this.resource,
      undefined,
      this.revision,
      signal,
      (events) => {
        for (const e of events) {
          const obj = decodeStored(e.kv);
          if (e.type === 'delete') this.remove(obj, e.kv.modRevision);
          else this.put(obj);
        }
      },
      onError,
    );
  }

  /** Applies a write this server just committed, so the next request already sees it. */
  apply(obj: KubeObject, deleted: boolean): void {
    if (deleted) this.remove(obj, Number(obj.metadata?.resourceVersion));
    else this.put(obj);
  }

  get(namespace: string | undefined, name: string): KubeObject | undefined {
    return this.byKey.get(`${namespace ?? ''}/${name}`);
  }

  list(namespace?: string): KubeObject[] {
    const all = [...this.byKey.values()];
    return namespace === undefined ? all : all.filter((o) => o.metadata?.namespace === namespace);
  }

  private put(obj: KubeObject): void {
    const key = `${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`;
    const current = this.byKey.get(key);
    // A watch event may arrive after this server already applied a newer write of the same object.
    if (current && Number(current.metadata?.resourceVersion) > Number(obj.metadata?.resourceVersion)) return;
    this.byKey.set(key, obj);
  }

  private remove(obj: KubeObject, revision: number): void {
    const key = `${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`;
    const current = this.byKey.get(key);
    if (current && Number(current.metadata?.resourceVersion) > revision) return;
    this.byKey.delete(key);
  }
}

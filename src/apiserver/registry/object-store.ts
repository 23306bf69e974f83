import type { ResourceDefinition } from '../../api/resource-definition.ts';
import type { KubeObject } from '../../api/types.ts';
import { isStorageError, type KeyValue, type Store, type WatchEvent } from '../../storage/types.ts';
import { alreadyExists, conflict, gone, notFound, StatusError } from '../status-error.ts';
import { decodeContinue, encodeContinue } from './continue-token.ts';
import { listPrefix, objectKey } from './object-keys.ts';

export interface ListRequest {
  namespace?: string;
  limit?: number;
  continue?: string;
  /** Exact revision to read at (resourceVersion with resourceVersionMatch=Exact). */
  revision?: number;
  /** Keeps only matching objects; paging continues until `limit` matches are found. */
  filter?: (obj: KubeObject) => boolean;
}

export interface ListResponse {
  items: KubeObject[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

/** Decodes stored JSON and stamps the revision as resourceVersion. */
export function decodeStored(kv: KeyValue): KubeObject {
  const obj = JSON.parse(kv.value) as KubeObject;
  obj.metadata = { ...(obj.metadata ?? {}), resourceVersion: String(kv.modRevision) };
  return obj;
}

function encodeForStore(obj: KubeObject): string {
  const { resourceVersion: _rv, ...metadata } = obj.metadata ?? {};
  return JSON.stringify({ ...obj, metadata });
}

/**
 * Typed CRUD over the key-value store for any resource. Translates storage errors into API
 * statuses; knows nothing of defaulting, validation or admission (the handlers do that).
 */
export class ObjectStore {
  constructor(private readonly store: Store) {}

  async get(r: ResourceDefinition, namespace: string | undefined, name: string): Promise<KubeObject> {
    const kv = await this.store.get(objectKey(r, namespace, name));
    if (!kv) throw notFound(r.group, r.plural, name);
    return decodeStored(kv);
  }

  async tryGet(r: ResourceDefinition, namespace: string | undefined, name: string): Promise<KubeObject | undefined> {
    const kv = await this.store.get(objectKey(r, namespace, name));
    return kv ? decodeStored(kv) : undefined;
  }

  async list(r: ResourceDefinition, req: ListRequest): Promise<ListResponse> {
    const prefix = listPrefix(r, req.namespace);
    let revision = req.revision ?? 0;
    let startAfter: string | undefined;
    if (req.continue) {
      const token = decodeContinue(req.continue);
      revision = token.rv;
      startAfter = prefix + token.start;
    }
    const limit = req.limit && req.limit > 0 ? req.limit : 0;
    const items: KubeObject[] = [];
    let readAt = revision;
    let lastKey: string | undefined;
    // Keep reading pages until the filter has accepted `limit` objects or the keys run out.
    for (;;) {
      const page = await this.readPage(prefix, readAt, limit ? Math.max(limit - items.length, 0) + 1 : 0, startAfter);
      readAt = page.revision;
      for (const kv of page.items) {
        if (limit && items.length === limit) {
          return { items, resourceVersion: String(readAt), continue: encodeContinue({ rv: readAt, start: (lastKey as string).slice(prefix.length) }) };
        }
        lastKey = kv.key;
        const obj = decodeStored(kv);
        if (!req.filter || req.filter(obj)) items.push(obj);
      }
      if (!page.more || page.items.length === 0) return { items, resourceVersion: String(readAt) };
      startAfter = lastKey;
    }
  }

  private async readPage(prefix: string, revision: number, limit: number, startAfter: string | undefined) {
    try {
      return await this.store.list({ prefix, revision: revision || undefined, limit: limit || undefined, startAfter });
    } catch (err) {
      if (isStorageError(err, 'Compacted')) {
        throw new StatusError(410, 'Expired', 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.');
      }
      throw err;
    }
  }

  async create(r: ResourceDefinition, obj: KubeObject): Promise<KubeObject> {
    const name = obj.metadata?.name ?? '';
    try {
      const rev = await this.store.create(objectKey(r, obj.metadata?.namespace, name), encodeForStore(obj));
      return withRevision(obj, rev);
    } catch (err) {
      if (isStorageError(err, 'KeyExists')) throw alreadyExists(r.group, r.plural, name);
      throw err;
    }
  }

  /** Compare-and-swap write of `obj` against the revision in its metadata.resourceVersion. */
  async update(r: ResourceDefinition, obj: KubeObject): Promise<KubeObject> {
    const name = obj.metadata?.name ?? '';
    const expected = Number(obj.metadata?.resourceVersion);
    try {
      const rev = await this.store.update(objectKey(r, obj.metadata?.namespace, name), encodeForStore(obj), expected);
      return withRevision(obj, rev);
    } catch (err) {
      if (isStorageError(err, 'Conflict')) throw conflict(r.group, r.plural, name);
      if (isStorageError(err, 'KeyNotFound')) throw notFound(r.group, r.plural, name);
      throw err;
    }
  }

  /** Removes the object at exactly the given revision; resolves to its last state with the deletion revision. */
  async delete(r: ResourceDefinition, obj: KubeObject): Promise<KubeObject> {
    const name = obj.metadata?.name ?? '';
    try {
      const { revision } = await this.store.delete(objectKey(r, obj.metadata?.namespace, name), Number(obj.metadata?.resourceVersion));
      return withRevision(obj, revision);
    } catch (err) {
      if (isStorageError(err, 'Conflict')) throw conflict(r.group, r.plural, name);
      if (isStorageError(err, 'KeyNotFound')) throw notFound(r.group, r.plural, name);
      throw err;
    }
  }

  currentRevision(): Promise<number> {
    return this.store.currentRevision();
  }

  /** Streams changes after `afterRevision`; rejects with 410 Expired when that revision was compacted. */
  async watch(r: ResourceDefinition, namespace: string | undefined, afterRevision: number, signal: AbortSignal, onEvents: (events: WatchEvent[]) => void, onError: (err: Error) => void): Promise<void> {
    try {
      await this.store.watch({ prefix: listPrefix(r, namespace), afterRevision, signal, onEvents, onError });
    } catch (err) {
      if (isStorageError(err, 'Compacted')) throw gone(`too old resource version: ${afterRevision} (${err.revision ?? 0})`);
      throw err;
    }
  }
}

function withRevision(obj: KubeObject, rev: number): KubeObject {
  return { ...obj, metadata: { ...(obj.metadata ?? {}), resourceVersion: String(rev) } };
}

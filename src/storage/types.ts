/**
 * The revisioned key-value store every Minato control plane stands on.
 *
 * One global revision counter (etcd/kine style): every write gets the next revision, a key's
 * `modRevision` is the revision of its last write, and it doubles as the object's resourceVersion.
 * Values are opaque strings (the API server stores JSON text).
 */
export interface KeyValue {
  key: string;
  value: string;
  /** Revision of the create that started this key's current life. */
  createRevision: number;
  /** Revision of the last write to this key. */
  modRevision: number;
}

export interface ListOptions {
  /** Keys that start with this prefix. */
  prefix: string;
  /** Read the state as of this revision (0 or absent: the current revision). */
  revision?: number;
  /** Return at most this many keys (0 or absent: no limit). */
  limit?: number;
  /** Return keys strictly greater than this key (used for continue tokens). */
  startAfter?: string;
}

export interface ListResult {
  items: KeyValue[];
  /** The revision the list was read at. */
  revision: number;
  /** True when keys beyond `limit` exist at that revision. */
  more: boolean;
  /** How many keys matched in total beyond the returned ones (when cheap to know), else undefined. */
  remaining?: number;
}

export type WatchEventType = 'create' | 'update' | 'delete';

export interface WatchEvent {
  type: WatchEventType;
  /** For delete: the last value, with modRevision set to the delete's revision. */
  kv: KeyValue;
  /** Previous value for update/delete, when known. */
  prevKv?: KeyValue;
}

export interface WatchOptions {
  prefix: string;
  /** Deliver every event with revision > afterRevision, in revision order. */
  afterRevision: number;
  signal: AbortSignal;
  /** Called with batches of events in strictly increasing revision order. */
  onEvents: (events: WatchEvent[]) => void;
  /** Called once if the watch breaks after it was established (the caller must re-list). */
  onError?: (err: Error) => void;
}

/**
 * A storage backend. Implementations: `SqliteBackend` (embedded default), `EtcdBackend`,
 * `MemoryBackend` (unit tests only). All run the conformance suite in `conformance/`.
 *
 * Errors: methods throw `StorageError` with code `KeyExists`, `KeyNotFound`, `Conflict`,
 * `Compacted` or `Unavailable`; callers translate them into API statuses once, at the API boundary.
 */
export interface Store {
  get(key: string): Promise<KeyValue | undefined>;
  list(opts: ListOptions): Promise<ListResult>;
  /** Creates the key; throws KeyExists if it exists. Resolves to the new revision once durable. */
  create(key: string, value: string): Promise<number>;
  /** Compare-and-swap on modRevision; throws Conflict on mismatch, KeyNotFound if absent. */
  update(key: string, value: string, expectedModRevision: number): Promise<number>;
  /** Deletes the key (if expectedModRevision is given, only at that revision). Resolves to the deletion revision and the deleted value. */
  delete(key: string, expectedModRevision?: number): Promise<{ revision: number; prev: KeyValue }>;
  /** Rejects with Compacted if afterRevision is older than the compacted revision. Resolves once the watch is established. */
  watch(opts: WatchOptions): Promise<void>;
  currentRevision(): Promise<number>;
  /** Oldest revision a watch or a list may still start from (0 if nothing was compacted). */
  compactedRevision(): Promise<number>;
  /** Drops history at or below `revision` (current values are always kept). */
  compact(revision: number): Promise<void>;
  close(): Promise<void>;
}

export type StorageErrorCode = 'KeyExists' | 'KeyNotFound' | 'Conflict' | 'Compacted' | 'Unavailable';

export class StorageError extends Error {
  constructor(
    readonly code: StorageErrorCode,
    message: string,
    /** For Conflict: the current value, when known. For Compacted: the compacted revision in `revision`. */
    readonly current?: KeyValue,
    readonly revision?: number,
  ) {
    super(message);
    this.name = 'StorageError';
  }
}

export function isStorageError(err: unknown, code?: StorageErrorCode): err is StorageError {
  return err instanceof StorageError && (code === undefined || err.code === code);
}

import { byKey, compareKeys } from '../keys.ts';
import { rowToEvent, rowToKeyValue, type LogRow } from '../log-row.ts';
import { planWrite, type WriteOp } from '../log-write.ts';
import { checkWatchStart, needsCompaction, readRevision } from '../revision-checks.ts';
import { StorageError, type KeyValue, type ListOptions, type ListResult, type Store, type WatchOptions } from '../types.ts';
import { WatchHub } from '../watch-hub.ts';

/**
 * A Store kept in process memory, for unit tests: the same append-only log and semantics as
 * SqliteBackend (history, list at a revision, watch replay, compaction), without durability.
 */
export class MemoryBackend implements Store {
  /** Every kept row in revision order. */
  private log: LogRow[] = [];
  /** Latest row per key, tombstones included (the next write chains onto it). */
  private readonly latest = new Map<string, LogRow>();
  private revision = 0;
  private compacted = 0;
  private closed = false;
  private readonly hub = new WatchHub();

  async get(key: string): Promise<KeyValue | undefined> {
    this.checkOpen();
    const row = this.latest.get(key);
    return row && !row.deleted ? rowToKeyValue(row) : undefined;
  }

  async list(opts: ListOptions): Promise<ListResult> {
    this.checkOpen();
    const revision = readRevision(opts.revision, this.revision, this.compacted);
    const rows = revision === this.revision ? [...this.latest.values()] : this.latestRowsAt(revision);
    const startAfter = opts.startAfter;
    const matching = rows
      .filter((row) => !row.deleted && row.name.startsWith(opts.prefix))
      .map(rowToKeyValue)
      .filter((kv) => startAfter === undefined || compareKeys(kv.key, startAfter) > 0)
      .sort(byKey);
    const limit = opts.limit || matching.length;
    const items = matching.slice(0, limit);
    const remaining = matching.length - items.length;
    return { items, revision, more: remaining > 0, remaining };
  }

  async create(key: string, value: string): Promise<number> {
    return this.append({ kind: 'create', key, value }).id;
  }

  async update(key: string, value: string, expectedModRevision: number): Promise<number> {
    return this.append({ kind: 'update', key, value, expectedModRevision }).id;
  }

  async delete(key: string, expectedModRevision?: number): Promise<{ revision: number; prev: KeyValue }> {
    const row = this.append({ kind: 'delete', key, expectedModRevision });
    return { revision: row.id, prev: { ...rowToKeyValue(row), modRevision: row.prevRevision } };
  }

  async watch(opts: WatchOptions): Promise<void> {
    this.checkOpen();
    checkWatchStart(opts.afterRevision, this.compacted);
    const replay = this.log
      .filter((row) => row.id > opts.afterRevision && row.name.startsWith(opts.prefix))
      .map(rowToEvent);
    this.hub.subscribe(opts, replay);
  }

  async currentRevision(): Promise<number> {
    this.checkOpen();
    return this.revision;
  }

  async compactedRevision(): Promise<number> {
    this.checkOpen();
    return this.compacted;
  }

  async compact(revision: number): Promise<void> {
    this.checkOpen();
    if (!needsCompaction(revision, this.revision, this.compacted)) return;
    const latestKept = new Map<string, number>();
    for (const row of this.log) if (row.id <= revision) latestKept.set(row.name, row.id);
    this.log = this.log.filter((row) => row.id > revision || (!row.deleted && latestKept.get(row.name) === row.id));
    this.compacted = revision;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.hub.closeAll(new StorageError('Unavailable', 'store closed'));
  }

  private append(op: WriteOp): LogRow {
    this.checkOpen();
    const row = planWrite(op, this.latest.get(op.key), this.revision + 1);
    this.revision = row.id;
    this.log.push(row);
    this.latest.set(row.name, row);
    this.hub.publish([rowToEvent(row)]);
    return row;
  }

  private latestRowsAt(revision: number): LogRow[] {
    const rows = new Map<string, LogRow>();
    for (const row of this.log) {
      if (row.id > revision) break;
      rows.set(row.name, row);
    }
    return [...rows.values()];
  }

  private checkOpen(): void {
    if (this.closed) throw new StorageError('Unavailable', 'store closed');
  }
}

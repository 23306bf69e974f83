import { rowToEvent, rowToKeyValue, type LogRow } from '../log-row.ts';
import type { WriteOp } from '../log-write.ts';
import { checkWatchStart, needsCompaction } from '../revision-checks.ts';
import { StorageError, type KeyValue, type ListOptions, type ListResult, type Store, type WatchOptions } from '../types.ts';
import { WatchHub } from '../watch-hub.ts';
import { COMPACT_REV_KEY, compactLog } from './compact.ts';
import { GroupCommitQueue } from './group-commit.ts';
import { LogTable, openLogDatabase } from './log-table.ts';
import { getKey, listKeys, nameRange } from './read.ts';

export interface SqliteBackendConfig {
  /** Path of the database file (created if missing). */
  path: string;
}

/**
 * The embedded default Store: a kine-style append-only log in SQLite (WAL). One process owns the
 * file: writes go through a group-commit queue, watches fan out in process right after each commit,
 * and resumed watches replay from the log table.
 */
export class SqliteBackend implements Store {
  private readonly table: LogTable;
  private readonly writes: GroupCommitQueue;
  private readonly hub = new WatchHub();
  private revision: number;
  private compacted: number;
  private compaction: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(config: SqliteBackendConfig) {
    this.table = new LogTable(openLogDatabase(config.path));
    this.revision = this.table.lastRevision();
    this.compacted = this.table.meta(COMPACT_REV_KEY);
    this.writes = new GroupCommitQueue({
      table: this.table,
      revision: () => this.revision,
      committed: (rows) => this.committed(rows),
    });
  }

  async get(key: string): Promise<KeyValue | undefined> {
    this.checkOpen();
    return getKey(this.table, key);
  }

  async list(opts: ListOptions): Promise<ListResult> {
    this.checkOpen();
    return listKeys(this.table, { revision: this.revision, compacted: this.compacted }, opts);
  }

  async create(key: string, value: string): Promise<number> {
    return (await this.write({ kind: 'create', key, value })).id;
  }

  async update(key: string, value: string, expectedModRevision: number): Promise<number> {
    return (await this.write({ kind: 'update', key, value, expectedModRevision })).id;
  }

  async delete(key: string, expectedModRevision?: number): Promise<{ revision: number; prev: KeyValue }> {
    const row = await this.write({ kind: 'delete', key, expectedModRevision });
    return { revision: row.id, prev: { ...rowToKeyValue(row), modRevision: row.prevRevision } };
  }

  async watch(opts: WatchOptions): Promise<void> {
    this.checkOpen();
    checkWatchStart(opts.afterRevision, this.compacted);
    // Replay and subscribe in one synchronous step: no commit can land between them.
    const replay = this.table.rowsAfter(nameRange(opts.prefix), opts.afterRevision).map(rowToEvent);
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
    // One compaction at a time; a queued one re-checks against the result of the previous.
    const run = this.compaction.then(async () => {
      if (this.closed || !needsCompaction(revision, this.revision, this.compacted)) return;
      this.compacted = revision;
      await compactLog(this.table, revision);
    });
    this.compaction = run.catch(() => {});
    return run;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.writes.flush();
    this.closed = true;
    await this.compaction;
    this.hub.closeAll(new StorageError('Unavailable', 'store closed'));
    this.table.db.close();
  }

  private write(op: WriteOp): Promise<LogRow> {
    this.checkOpen();
    return this.writes.enqueue(op);
  }

  private committed(rows: LogRow[]): void {
    const last = rows.at(-1);
    if (!last) return;
    this.revision = last.id;
    this.hub.publish(rows.map(rowToEvent));
  }

  private checkOpen(): void {
    if (this.closed) throw new StorageError('Unavailable', 'store closed');
  }
}

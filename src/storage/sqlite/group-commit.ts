import type { LogRow } from '../log-row.ts';
import { planWrite, type WriteOp } from '../log-write.ts';
import { isStorageError, StorageError } from '../types.ts';
import type { LogTable } from './log-table.ts';

interface PendingWrite {
  op: WriteOp;
  resolve: (row: LogRow) => void;
  reject: (err: Error) => void;
}

/** What the queue needs from its backend. */
export interface GroupCommitTarget {
  table: LogTable;
  /** The last committed revision; the queue hands out the ones after it. */
  revision: () => number;
  /** Called after each commit with its rows in revision order, before any write promise resolves. */
  committed: (rows: LogRow[]) => void;
}

/**
 * Group commit: better-sqlite3 is synchronous and every commit pays an fsync, so writes arriving in
 * the same event-loop turn are queued and committed together in one transaction (at `setImmediate`,
 * after the I/O callbacks of that turn have queued theirs). Each write is still checked on its own —
 * a KeyExists or Conflict fails only that write — and each promise resolves only once the batch is
 * durable.
 */
export class GroupCommitQueue {
  private pending: PendingWrite[] = [];
  private scheduled = false;

  constructor(private readonly target: GroupCommitTarget) {}

  /** Queues a write; resolves to its row once committed. */
  enqueue(op: WriteOp): Promise<LogRow> {
    return new Promise((resolve, reject) => {
      this.pending.push({ op, resolve, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      setImmediate(() => this.flush());
    });
  }

  /** Commits everything queued now (also used by close, so no acknowledged-to-be write is dropped). */
  flush(): void {
    this.scheduled = false;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    let outcomes: (LogRow | StorageError)[];
    try {
      outcomes = this.apply(batch);
    } catch (err) {
      const failure = new StorageError('Unavailable', `sqlite commit failed: ${String(err)}`);
      for (const write of batch) write.reject(failure);
      return;
    }
    this.target.committed(outcomes.filter((o): o is LogRow => !(o instanceof StorageError)));
    batch.forEach((write, i) => {
      const outcome = outcomes[i];
      if (outcome instanceof StorageError) write.reject(outcome);
      else if (outcome) write.resolve(outcome);
    });
  }

  /** Rejects everything still queued (the store is closed). */
  failPending(err: Error): void {
    const batch = this.pending;
    this.pending = [];
    for (const write of batch) write.reject(err);
  }

  private apply(batch: PendingWrite[]): (LogRow | StorageError)[] {
    const { table } = this.target;
    const outcomes: (LogRow | StorageError)[] = [];
    let revision = this.target.revision();
    table.transaction(() => {
      for (const { op } of batch) {
        try {
          // Reads inside the transaction see the earlier writes of this batch.
          const row = planWrite(op, table.latest(op.key), revision + 1);
          table.insert(row);
          revision = row.id;
          outcomes.push(row);
        } catch (err) {
          if (!isStorageError(err)) throw err;
          outcomes.push(err);
        }
      }
    });
    return outcomes;
  }
}

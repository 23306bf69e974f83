import { rowToKeyValue, type LogRow } from './log-row.ts';
import { StorageError } from './types.ts';

/** A write as queued by a log-structured backend. */
export type WriteOp =
  | { kind: 'create'; key: string; value: string }
  | { kind: 'update'; key: string; value: string; expectedModRevision: number }
  | { kind: 'delete'; key: string; expectedModRevision?: number };

/**
 * Decides the log row a write appends, given the key's latest row (live or tombstone).
 * Throws StorageError (KeyExists, KeyNotFound, Conflict) when the write must not happen.
 */
export function planWrite(op: WriteOp, latest: LogRow | undefined, revision: number): LogRow {
  const live = latest && !latest.deleted ? latest : undefined;
  const base = { id: revision, name: op.key, created: false, deleted: false };
  if (op.kind === 'create') {
    if (live) throw new StorageError('KeyExists', `key ${op.key} already exists`, rowToKeyValue(live));
    // A re-create chains onto the tombstone so (name, prev_revision) stays unique.
    return { ...base, created: true, createRevision: revision, prevRevision: latest?.id ?? 0, value: op.value, oldValue: null };
  }
  if (!live) throw new StorageError('KeyNotFound', `key ${op.key} not found`);
  if (op.expectedModRevision !== undefined && op.expectedModRevision !== live.id) {
    throw new StorageError(
      'Conflict',
      `key ${op.key} is at revision ${live.id}, not ${op.expectedModRevision}`,
      rowToKeyValue(live),
    );
  }
  const chained = { ...base, createRevision: live.createRevision, prevRevision: live.id, oldValue: live.value };
  if (op.kind === 'update') return { ...chained, value: op.value };
  return { ...chained, deleted: true, value: live.value };
}

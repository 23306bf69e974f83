import type { KeyValue, WatchEvent } from './types.ts';

/**
 * One entry of the append-only revision log (the kine row shape): a create, an update or a tombstone.
 * Both the SQLite table and the in-memory backend keep their history as these rows.
 */
export interface LogRow {
  /** The revision of this write. */
  id: number;
  name: string;
  created: boolean;
  deleted: boolean;
  createRevision: number;
  /** Revision of the previous row for this key (0 for the first). */
  prevRevision: number;
  /** The written value; for a tombstone, the deleted value. */
  value: string;
  /** The value before this write, for updates and deletes. */
  oldValue: string | null;
}

/** The key's value as written by this row. */
export function rowToKeyValue(row: LogRow): KeyValue {
  return { key: row.name, value: row.value, createRevision: row.createRevision, modRevision: row.id };
}

/** The key's value before this row, for updates and deletes. */
export function rowPrevKeyValue(row: LogRow): KeyValue | undefined {
  if (row.created || row.oldValue === null) return undefined;
  return { key: row.name, value: row.oldValue, createRevision: row.createRevision, modRevision: row.prevRevision };
}

/** The watch event a row stands for. */
export function rowToEvent(row: LogRow): WatchEvent {
  const type = row.created ? 'create' : row.deleted ? 'delete' : 'update';
  const prevKv = rowPrevKeyValue(row);
  return prevKv ? { type, kv: rowToKeyValue(row), prevKv } : { type, kv: rowToKeyValue(row) };
}

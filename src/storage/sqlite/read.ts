import { prefixUpperBound } from '../keys.ts';
import { rowToKeyValue } from '../log-row.ts';
import { readRevision } from '../revision-checks.ts';
import type { KeyValue, ListOptions, ListResult } from '../types.ts';
import type { LogTable, NameRange } from './log-table.ts';

/** The committed revisions a read is checked against. */
export interface LogRevisions {
  revision: number;
  compacted: number;
}

/** The key's current value, if it is live. */
export function getKey(table: LogTable, key: string): KeyValue | undefined {
  const row = table.latest(key);
  return row && !row.deleted ? rowToKeyValue(row) : undefined;
}

/** The name range of a prefix scan. */
export function nameRange(prefix: string, startAfter = ''): NameRange {
  return { lo: prefix, hi: prefixUpperBound(prefix), after: startAfter };
}

/** Lists live keys under a prefix at a revision, one page at a time. */
export function listKeys(table: LogTable, revisions: LogRevisions, opts: ListOptions): ListResult {
  const revision = readRevision(opts.revision, revisions.revision, revisions.compacted);
  const limit = opts.limit ? opts.limit + 1 : -1;
  const rows = table.listAt(nameRange(opts.prefix, opts.startAfter), revision, limit);
  const more = opts.limit !== undefined && opts.limit > 0 && rows.length > opts.limit;
  const items = (more ? rows.slice(0, opts.limit) : rows).map(rowToKeyValue);
  return more ? { items, revision, more } : { items, revision, more, remaining: 0 };
}

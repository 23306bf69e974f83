import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { LogTable } from './log-table.ts';

/** The meta row holding the compacted revision. */
export const COMPACT_REV_KEY = 'compact_rev';

/** Revisions per delete transaction, so writes keep flowing while a large history is dropped. */
const WINDOW = 10_000;

/**
 * Drops history at or below `target`: rows superseded by a later row at or below `target`, and
 * tombstones. The newest value of each key as of `target` stays, so lists at `target` still work.
 * The compacted revision is recorded durably first: if the process dies half-way, reads below it are
 * already refused, so nobody sees the half-deleted history.
 */
export async function compactLog(table: LogTable, target: number): Promise<void> {
  table.setMeta(COMPACT_REV_KEY, target);
  for (let lo = table.firstRowId() - 1; lo < target; lo += WINDOW) {
    table.compactWindow(lo, Math.min(lo + WINDOW, target), target);
    await yieldToEventLoop();
  }
}

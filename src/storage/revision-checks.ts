import { StorageError } from './types.ts';

/**
 * The revision a read happens at: `requested` (0/absent = current). Throws Compacted below the
 * compacted revision and Unavailable above the current one (that state does not exist yet).
 */
export function readRevision(requested: number | undefined, current: number, compacted: number): number {
  if (!requested) return current;
  if (requested < compacted) throw compactedError(requested, compacted);
  if (requested > current) {
    throw new StorageError('Unavailable', `revision ${requested} is in the future (current ${current})`);
  }
  return requested;
}

/** Throws Compacted when the events after `afterRevision` are no longer all kept. */
export function checkWatchStart(afterRevision: number, compacted: number): void {
  if (afterRevision < compacted) throw compactedError(afterRevision, compacted);
}

/** The Compacted error, carrying the compacted revision as etcd does. */
export function compactedError(requested: number, compacted: number): StorageError {
  return new StorageError(
    'Compacted',
    `required revision ${requested} has been compacted (compacted revision ${compacted})`,
    undefined,
    compacted,
  );
}

/**
 * Whether compacting to `target` has anything to do; throws Unavailable for a future target.
 * Compacting at or below the compacted revision is a no-op, so compaction can be retried freely.
 */
export function needsCompaction(target: number, current: number, compacted: number): boolean {
  if (target > current) {
    throw new StorageError('Unavailable', `cannot compact to future revision ${target} (current ${current})`);
  }
  return target > compacted;
}

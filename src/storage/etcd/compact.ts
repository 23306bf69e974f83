import { StorageError } from '../types.ts';
import { isEtcdCompacted, toStorageError } from './etcd-errors.ts';
import { currentRevision } from './read.ts';
import type { EtcdContext } from './write.ts';

/**
 * Compacts etcd's history at `revision` (for every key prefix: compaction is global in etcd) and waits
 * until it is physically applied. Compacting at or below the compacted revision is a no-op.
 */
export async function compactTo(ctx: EtcdContext, revision: number): Promise<void> {
  try {
    await ctx.kv.compact({ revision, physical: true });
  } catch (err) {
    if (isEtcdCompacted(err)) return;
    throw toStorageError(err);
  }
}

/** Whether a read at `revision` is still possible (i.e. revision >= the compacted revision). */
async function readableAt(ctx: EtcdContext, revision: number): Promise<boolean> {
  try {
    await ctx.kv.range({ key: ctx.keys.toEtcd('/'), count_only: true, revision });
    return true;
  } catch (err) {
    if (isEtcdCompacted(err)) return false;
    throw toStorageError(err);
  }
}

/**
 * etcd 3.4 does not report its compacted revision directly, so find the oldest readable revision by
 * bisection (about log2(current) cheap count-only ranges). It is exact whoever compacted.
 */
export async function findCompactedRevision(ctx: EtcdContext): Promise<number> {
  if (await readableAt(ctx, 1)) return 0;
  let unreadable = 1;
  let readable = await currentRevision(ctx);
  while (readable - unreadable > 1) {
    const mid = Math.floor((unreadable + readable) / 2);
    if (await readableAt(ctx, mid)) readable = mid;
    else unreadable = mid;
  }
  return readable;
}

/** Throws Compacted when the events after `afterRevision` may already be compacted away. */
export async function checkWatchStart(ctx: EtcdContext, afterRevision: number): Promise<void> {
  if (await readableAt(ctx, Math.max(afterRevision, 1)).catch(() => true)) return;
  const compacted = await findCompactedRevision(ctx);
  throw new StorageError('Compacted', `required revision ${afterRevision} has been compacted (compacted revision ${compacted})`, undefined, compacted);
}

import type { IEvent, IWatchResponse, WatchClient } from 'etcd3';
import { StorageError, type WatchEvent, type WatchOptions } from '../types.ts';
import type { EtcdKeys } from './etcd-keys.ts';
import { toStorageError } from './etcd-errors.ts';

/** Maps one etcd event (watched with prev_kv) to a Store watch event. */
export function toWatchEvent(keys: EtcdKeys, event: IEvent): WatchEvent {
  const revision = Number(event.kv.mod_revision);
  const prevKv = event.prev_kv ? keys.fromEtcd(event.prev_kv) : undefined;
  if (String(event.type).toLowerCase() === 'delete') {
    // etcd's delete event carries only the key; the deleted value comes from prev_kv.
    const kv = prevKv ? { ...prevKv, modRevision: revision } : { ...keys.fromEtcd(event.kv), createRevision: 0 };
    return prevKv ? { type: 'delete', kv, prevKv } : { type: 'delete', kv };
  }
  const kv = keys.fromEtcd(event.kv);
  if (kv.createRevision === revision) return { type: 'create', kv };
  return prevKv ? { type: 'update', kv, prevKv } : { type: 'update', kv };
}

/**
 * Opens one etcd watch stream for `opts` (a raw gRPC stream rather than the client's auto-resuming
 * watcher, so a compaction or a broken stream reaches the caller, who must re-list). Resolves once
 * etcd confirms the watch.
 */
export async function openWatch(client: WatchClient, keys: EtcdKeys, opts: WatchOptions): Promise<void> {
  const stream = await client.watch();
  let established = false;
  let done = false;
  const finish = (err?: Error): void => {
    if (done) return;
    done = true;
    opts.signal.removeEventListener('abort', onAbort);
    stream.cancel();
    if (err && established) opts.onError?.(err);
  };
  const onAbort = (): void => finish();
  await new Promise<void>((resolve, reject) => {
    const fail = (err: Error): void => {
      finish(err);
      if (!established) reject(err);
    };
    stream.on('data', (res: IWatchResponse) => {
      if (done) return;
      const problem = responseProblem(res);
      if (problem) return fail(problem);
      if (res.created && !established) {
        established = true;
        resolve();
      }
      if (res.events.length > 0) opts.onEvents(res.events.map((event) => toWatchEvent(keys, event)));
    });
    stream.on('error', (err) => fail(toStorageErrorOrUnavailable(err)));
    stream.on('end', () => fail(new StorageError('Unavailable', 'etcd watch stream ended')));
    opts.signal.addEventListener('abort', onAbort, { once: true });
    stream.write({
      create_request: {
        key: keys.toEtcd(opts.prefix),
        range_end: keys.rangeEnd(opts.prefix),
        start_revision: opts.afterRevision + 1,
        prev_kv: true,
      },
    });
  });
}

function responseProblem(res: IWatchResponse): Error | undefined {
  const compacted = Number(res.compact_revision);
  if (compacted > 0) {
    return new StorageError('Compacted', `required revision has been compacted (compacted revision ${compacted})`, undefined, compacted);
  }
  if (res.canceled) return new StorageError('Unavailable', `etcd canceled the watch: ${res.cancel_reason}`);
  return undefined;
}

function toStorageErrorOrUnavailable(err: Error): Error {
  const mapped = toStorageError(err);
  return mapped instanceof StorageError ? mapped : new StorageError('Unavailable', `etcd watch failed: ${err.message}`);
}

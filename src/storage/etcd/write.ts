import type { IRangeResponse, ITxnRequest, KVClient } from 'etcd3';
import { StorageError, type KeyValue } from '../types.ts';
import type { EtcdKeys } from './etcd-keys.ts';

/** What the write verbs need: the raw KV client and the key mapping. */
export interface EtcdContext {
  kv: KVClient;
  keys: EtcdKeys;
}

/** Why a guarded write was refused, judged from the key's current value. */
function refusal(ctx: EtcdContext, key: string, range: IRangeResponse | undefined, expected?: number): StorageError {
  const raw = range?.kvs[0];
  if (!raw) return new StorageError('KeyNotFound', `key ${key} not found`);
  const current = ctx.keys.fromEtcd(raw);
  if (expected === undefined) return new StorageError('KeyExists', `key ${key} already exists`, current);
  return new StorageError('Conflict', `key ${key} is at revision ${current.modRevision}, not ${expected}`, current);
}

async function guardedTxn(ctx: EtcdContext, req: ITxnRequest) {
  const res = await ctx.kv.txn(req);
  return { res, failedRange: res.succeeded ? undefined : res.responses[0]?.response_range };
}

/** Creates `key` only if it has no current life (create_revision == 0). */
export async function createKey(ctx: EtcdContext, key: string, value: string): Promise<number> {
  const etcdKey = ctx.keys.toEtcd(key);
  const { res, failedRange } = await guardedTxn(ctx, {
    compare: [{ key: etcdKey, target: 'Create', result: 'Equal', create_revision: 0 }],
    success: [{ request_put: { key: etcdKey, value: Buffer.from(value, 'utf8') } }],
    failure: [{ request_range: { key: etcdKey } }],
  });
  if (!res.succeeded) {
    const err = refusal(ctx, key, failedRange);
    throw err.code === 'KeyNotFound' ? new StorageError('Conflict', `key ${key} changed during create`) : err;
  }
  return Number(res.header.revision);
}

/** Compare-and-swap on mod_revision. */
export async function updateKey(ctx: EtcdContext, key: string, value: string, expected: number): Promise<number> {
  const etcdKey = ctx.keys.toEtcd(key);
  const { res, failedRange } = await guardedTxn(ctx, {
    compare: [{ key: etcdKey, target: 'Mod', result: 'Equal', mod_revision: expected }],
    success: [{ request_put: { key: etcdKey, value: Buffer.from(value, 'utf8') } }],
    failure: [{ request_range: { key: etcdKey } }],
  });
  if (!res.succeeded) throw refusal(ctx, key, failedRange, expected);
  return Number(res.header.revision);
}

/** Deletes `key` if it exists (and, given `expected`, only at that mod_revision). */
export async function deleteKey(
  ctx: EtcdContext,
  key: string,
  expected?: number,
): Promise<{ revision: number; prev: KeyValue }> {
  const etcdKey = ctx.keys.toEtcd(key);
  const compare = expected === undefined
    ? { key: etcdKey, target: 'Create' as const, result: 'NotEqual' as const, create_revision: 0 }
    : { key: etcdKey, target: 'Mod' as const, result: 'Equal' as const, mod_revision: expected };
  const { res, failedRange } = await guardedTxn(ctx, {
    compare: [compare],
    success: [{ request_delete_range: { key: etcdKey, prev_kv: true } }],
    failure: [{ request_range: { key: etcdKey } }],
  });
  if (!res.succeeded) throw refusal(ctx, key, failedRange, expected ?? 0);
  const prevRaw = res.responses[0]?.response_delete_range.prev_kvs[0];
  if (!prevRaw) throw new StorageError('KeyNotFound', `key ${key} not found`);
  return { revision: Number(res.header.revision), prev: ctx.keys.fromEtcd(prevRaw) };
}

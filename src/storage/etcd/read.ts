import type { KeyValue, ListOptions, ListResult } from '../types.ts';
import type { EtcdContext } from './write.ts';

/** The key's current value, if any. */
export async function getKey(ctx: EtcdContext, key: string): Promise<KeyValue | undefined> {
  const res = await ctx.kv.range({ key: ctx.keys.toEtcd(key) });
  const raw = res.kvs[0];
  return raw && ctx.keys.fromEtcd(raw);
}

/** Lists keys under a prefix (sorted by key, etcd's default) at a revision, one page at a time. */
export async function listKeys(ctx: EtcdContext, opts: ListOptions): Promise<ListResult> {
  // startAfter + "\0" is the smallest key strictly greater than startAfter.
  const start = opts.startAfter === undefined ? opts.prefix : `${opts.startAfter}\0`;
  const res = await ctx.kv.range({
    key: ctx.keys.toEtcd(start),
    range_end: ctx.keys.rangeEnd(opts.prefix),
    limit: opts.limit ?? 0,
    revision: opts.revision ?? 0,
  });
  const items = res.kvs.map((kv) => ctx.keys.fromEtcd(kv));
  return {
    items,
    revision: opts.revision || Number(res.header.revision),
    more: res.more,
    remaining: Number(res.count) - items.length,
  };
}

/** etcd's current revision (global: writes under other key prefixes advance it too). */
export async function currentRevision(ctx: EtcdContext): Promise<number> {
  // Any non-empty key serves: the header's revision is global (etcd rejects an empty key).
  const res = await ctx.kv.range({ key: ctx.keys.toEtcd('/'), count_only: true });
  return Number(res.header.revision);
}

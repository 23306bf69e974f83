import type { IKeyValue } from 'etcd3';
import type { KeyValue } from '../types.ts';

/**
 * Maps Store keys to etcd keys under a key prefix, so several servers or tests can share one etcd.
 */
export class EtcdKeys {
  constructor(private readonly keyPrefix: string) {}

  toEtcd(key: string): Buffer {
    return Buffer.from(this.keyPrefix + key, 'utf8');
  }

  /** Exclusive end of the etcd range holding every key that starts with `prefix`. */
  rangeEnd(prefix: string): Buffer {
    return prefixEnd(this.toEtcd(prefix));
  }

  fromEtcd(kv: IKeyValue, modRevision = Number(kv.mod_revision)): KeyValue {
    return {
      key: kv.key.toString('utf8').slice(this.keyPrefix.length),
      value: kv.value.toString('utf8'),
      createRevision: Number(kv.create_revision),
      modRevision,
    };
  }
}

/** etcd's prefix rule: increment the last byte that is not 0xff; `\0` (everything) if none. */
export function prefixEnd(prefix: Buffer): Buffer {
  for (let i = prefix.length - 1; i >= 0; i--) {
    const byte = prefix[i];
    if (byte !== undefined && byte < 0xff) {
      const end = Buffer.from(prefix.subarray(0, i + 1));
      end[i] = byte + 1;
      return end;
    }
  }
  return Buffer.from([0]);
}

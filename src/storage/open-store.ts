import { isAbsolute, join } from 'node:path';
import { EtcdBackend } from './etcd/etcd-backend.ts';
import { MemoryBackend } from './memory/memory-backend.ts';
import { SqliteBackend } from './sqlite/sqlite-backend.ts';
import type { Store } from './types.ts';

export interface OpenStoreOptions {
  /** Directory that relative sqlite paths are resolved against. */
  dataDir: string;
}

/** The store URL used when none is configured. */
export const DEFAULT_STORE_URL = 'sqlite://state.db';

type BackendOpener = (rest: string, opts: OpenStoreOptions) => Store;

function openSqlite(rest: string, opts: OpenStoreOptions): Store {
  if (!rest) throw new Error('sqlite store URL needs a path: sqlite://<path>');
  return new SqliteBackend({ path: isAbsolute(rest) ? rest : join(opts.dataDir, rest) });
}

/** etcd://host:port[,host:port][/prefix] */
function openEtcd(rest: string): Store {
  const slash = rest.indexOf('/');
  const hostList = slash === -1 ? rest : rest.slice(0, slash);
  const keyPrefix = slash === -1 ? '' : rest.slice(slash);
  const hosts = hostList.split(',').filter(Boolean);
  if (hosts.length === 0) throw new Error('etcd store URL needs at least one host: etcd://host:port[,host:port][/prefix]');
  for (const host of hosts) {
    if (!/^[^\s:/]+:\d+$/.test(host)) throw new Error(`etcd store URL host must be host:port, got "${host}"`);
  }
  return new EtcdBackend({ hosts: hosts.map((host) => `http://${host}`), keyPrefix: keyPrefix === '/' ? '' : keyPrefix });
}

/**
 * Opens the store named by `url`: `sqlite://<path>` (relative to dataDir; the default when `url` is
 * empty), `etcd://host:port[,host:port][/prefix]` or `memory://`. An unknown scheme is an error.
 */
export async function openStore(url: string, opts: OpenStoreOptions): Promise<Store> {
  const openers = new Map<string, BackendOpener>([
    ['sqlite', openSqlite],
    ['etcd', openEtcd],
    ['memory', () => new MemoryBackend()],
  ]);
  const effective = url || DEFAULT_STORE_URL;
  const match = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i.exec(effective);
  const scheme = match?.[1]?.toLowerCase();
  const opener = scheme === undefined ? undefined : openers.get(scheme);
  if (!opener) {
    throw new Error(`unsupported store URL "${effective}": use one of ${[...openers.keys()].map((s) => `${s}://`).join(', ')}`);
  }
  return opener(match?.[2] ?? '', opts);
}

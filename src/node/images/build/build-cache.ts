/**
 * The build cache: one small JSON entry per build step, named by the step's cache key (a digest of
 * the parent step's key, the instruction after variable substitution, the state it runs in — env,
 * ARG values, WORKDIR, USER, SHELL — and, for COPY/ADD, the digest of the files it reads). An entry
 * names the layer the step produced; the layer itself is an ordinary blob in the image store, so a
 * cached layer that ends up in an image is stored once. Entries live in `<store root>/build-cache/`.
 *
 * Garbage collection: `ImageStore.gc()` deletes blobs no image references, which includes the
 * layers of steps that only intermediate stages or superseded builds used. An entry whose layer is
 * gone is a miss (and is deleted when looked up); {@link BuildCache.prune} deletes all such entries.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkDigest, sha256, type BlobStore } from '../blob-store.ts';

/** The layer a cached step produced. */
export interface CachedLayer {
  mediaType: string;
  digest: string;
  size: number;
  /** Digest of the uncompressed tar (the image config's `rootfs.diff_ids`). */
  diffId: string;
}

/** What a cached step produced: a layer, or nothing (config-only steps, RUNs that changed no file). */
export interface CacheEntry {
  layer?: CachedLayer;
}

/** The cache key of a step: a digest of everything its result depends on. */
export function cacheKey(parts: unknown[]): string {
  return sha256(JSON.stringify(parts));
}

/** Build-step cache entries beside an image store's blobs. */
export class BuildCache {
  private readonly dir: string;

  constructor(private readonly blobs: BlobStore) {
    this.dir = join(blobs.root, 'build-cache');
  }

  private path(key: string): string {
    return join(this.dir, `${checkDigest(key)}.json`);
  }

  /** The entry for `key`, if there is one whose layer blob still exists. */
  async get(key: string): Promise<CacheEntry | undefined> {
    let entry: CacheEntry;
    try {
      entry = JSON.parse(await readFile(this.path(key), 'utf8')) as CacheEntry;
    } catch {
      return undefined;
    }
    if (entry.layer && !(await this.blobs.has(entry.layer.digest))) {
      await rm(this.path(key), { force: true });
      return undefined;
    }
    return entry;
  }

  async put(key: string, entry: CacheEntry): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const tmp = `${this.path(key)}.${randomBytes(4).toString('hex')}.tmp`;
    await writeFile(tmp, JSON.stringify(entry));
    await rename(tmp, this.path(key));
  }

  /** Deletes entries whose layer blob was garbage-collected; returns how many. */
  async prune(): Promise<number> {
    let removed = 0;
    for (const name of await readdir(this.dir).catch(() => [] as string[])) {
      const m = /^([a-f0-9]{64})\.json$/.exec(name);
      if (m && !(await this.get(`sha256:${m[1]}`))) removed++;
    }
    return removed;
  }
}

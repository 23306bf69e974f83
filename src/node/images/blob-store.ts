/**
 * Content-addressed blobs on disk (`<root>/blobs/sha256/<hex>`), the same layout as an OCI image
 * layout so that layouts can be read and written with the same code. Every write is verified
 * against its digest and lands by rename, so a crash never leaves a half blob under a real name.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable, Transform } from 'node:stream';

const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** Throws unless `digest` is a sha256 digest (guards every path built from a digest). */
export function checkDigest(digest: string): string {
  if (!DIGEST.test(digest)) throw new Error(`unsupported or malformed digest ${JSON.stringify(digest)}`);
  return digest.slice('sha256:'.length);
}

export function sha256(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** A directory of blobs named by their sha256 digest. */
export class BlobStore {
  constructor(readonly root: string) {}

  path(digest: string): string {
    return join(this.root, 'blobs', 'sha256', checkDigest(digest));
  }

  async has(digest: string): Promise<boolean> {
    try {
      await stat(this.path(digest));
      return true;
    } catch {
      return false;
    }
  }

  async read(digest: string): Promise<Buffer> {
    return readFile(this.path(digest));
  }

  /** Stores a stream, failing (and keeping nothing) unless its sha256 is `digest`. */
  async put(digest: string, source: Readable | AsyncIterable<Uint8Array>): Promise<void> {
    const target = this.path(digest);
    await mkdir(join(this.root, 'blobs', 'sha256'), { recursive: true });
    const tmp = `${target}.${randomBytes(4).toString('hex')}.tmp`;
    const hash = createHash('sha256');
    const tap = new Transform({ transform(chunk: Buffer, _enc, cb) { hash.update(chunk); cb(null, chunk); } });
    try {
      await pipeline(source, tap, createWriteStream(tmp));
      const got = `sha256:${hash.digest('hex')}`;
      if (got !== digest) throw new Error(`blob digest mismatch: expected ${digest}, got ${got}`);
      await rename(tmp, target);
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
  }

  /** Stores bytes already in memory and returns their digest. */
  async putBytes(data: Buffer): Promise<string> {
    const digest = sha256(data);
    if (!(await this.has(digest))) await this.put(digest, Readable.from([data]));
    return digest;
  }

  async list(): Promise<string[]> {
    try {
      return (await readdir(join(this.root, 'blobs', 'sha256'))).filter((n) => /^[a-f0-9]{64}$/.test(n)).map((n) => `sha256:${n}`);
    } catch {
      return [];
    }
  }

  async remove(digest: string): Promise<void> {
    await rm(this.path(digest), { force: true });
  }
}

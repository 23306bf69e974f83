/**
 * File operations on a build rootfs for COPY, ADD and WORKDIR. Paths inside the image are
 * resolved as the container would see them (symlinks relative to the rootfs, never escaping it);
 * sources must stay inside the build context.
 */
import { execFile } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { copyFile, cp, lstat, mkdir, open, stat, unlink } from 'node:fs/promises';
import { basename, dirname, posix, relative, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { createGunzip } from 'node:zlib';
import { readTar } from '../tar/tar-reader.ts';
import { applyLayer, entryComponents, resolveInRoot } from '../unpack.ts';

const exec = promisify(execFile);

/** Copies a whole tree (owners, modes, links, times) into an existing empty directory. */
export async function cloneTree(from: string, to: string): Promise<void> {
  await exec('cp', ['-a', `${from}/.`, to]);
}

/** Creates `path` (inside the image) and its parents; returns the host path of the directory. */
export async function mkdirInRootfs(root: string, path: string): Promise<string> {
  const parts = entryComponents(path);
  for (let i = 1; i <= parts.length; i++) {
    // Resolve a dummy child so that a symlink as the last component is followed too.
    const dir = dirname(await resolveInRoot(root, [...parts.slice(0, i), '.probe']));
    const st = await lstat(dir).catch(() => undefined);
    if (!st) await mkdir(dir);
    else if (!st.isDirectory()) throw new Error(`${path}: ${parts.slice(0, i).join('/')} exists and is not a directory`);
  }
  return dirname(await resolveInRoot(root, [...parts, '.probe']));
}

async function isDirInRootfs(root: string, path: string): Promise<boolean> {
  const parts = entryComponents(path);
  if (parts.length === 0) return true;
  const host = dirname(await resolveInRoot(root, [...parts, '.probe']));
  return (await stat(host).catch(() => undefined))?.isDirectory() === true;
}

/** Tar (optionally gzip-compressed) detection by content, as Docker's ADD does. */
async function archiveKind(path: string): Promise<'tar' | 'gzip' | undefined> {
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(262);
    const { bytesRead } = await fh.read(head, 0, head.length, 0);
    if (bytesRead >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
    if (bytesRead >= 262 && head.subarray(257, 262).toString('latin1') === 'ustar') return 'tar';
    return undefined;
  } finally {
    await fh.close();
  }
}

/** Options of one COPY/ADD. */
export interface CopyOptions {
  /** The image's WORKDIR, against which a relative destination is resolved. */
  workingDir: string;
  /** ADD: local tar archives are extracted into the destination instead of copied. */
  extractArchives: boolean;
}

/** Performs COPY/ADD `sources` → `dest` from `contextDir` into the rootfs at `root`. */
export async function copyIntoRootfs(root: string, contextDir: string, sources: string[], dest: string, o: CopyOptions): Promise<void> {
  const destInImage = dest.startsWith('/') ? dest : posix.join(o.workingDir, dest);
  const destIsDir = dest.endsWith('/') || dest === '.' || sources.length > 1 || (await isDirInRootfs(root, destInImage));
  const ctx = resolve(contextDir);
  for (const src of sources) {
    if (/^[a-z]+:\/\//i.test(src)) throw new Error(`${src}: URLs are not supported (no network during builds)`);
    const abs = resolve(ctx, src);
    const rel = relative(ctx, abs);
    if (rel === '..' || rel.startsWith('../')) throw new Error(`${src} is outside the build context`);
    const st = await stat(abs).catch(() => undefined);
    if (!st) throw new Error(`${src}: no such file in the build context`);
    if (st.isDirectory()) {
      // Like Docker: a directory source copies its contents, not the directory itself.
      await cp(abs, await mkdirInRootfs(root, destInImage), { recursive: true, force: true, preserveTimestamps: true, verbatimSymlinks: true });
      continue;
    }
    const kind = o.extractArchives ? await archiveKind(abs) : undefined;
    if (kind) {
      const target = await mkdirInRootfs(root, destInImage);
      let source: Readable = createReadStream(abs);
      if (kind === 'gzip') source = source.pipe(createGunzip());
      await applyLayer(target, readTar(source), { entries: 0, skipped: 0, whiteouts: 0 });
      continue;
    }
    const targetInImage = destIsDir ? posix.join(destInImage, basename(abs)) : destInImage;
    const parts = entryComponents(targetInImage);
    await mkdirInRootfs(root, posix.dirname(`/${parts.join('/')}`));
    const target = await resolveInRoot(root, parts);
    // copyFile follows a symlink at the target, which could point out of the rootfs: replace it instead.
    if ((await lstat(target).catch(() => undefined))?.isSymbolicLink()) await unlink(target);
    await copyFile(abs, target);
  }
}

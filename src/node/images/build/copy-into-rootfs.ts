/**
 * File operations on a build rootfs for COPY, ADD and WORKDIR. Paths inside the image are
 * resolved as the container would see them (symlinks relative to the rootfs, never escaping it).
 * Ownership follows Docker: files from the build context become 0:0 unless `--chown` says
 * otherwise; files from another stage or image keep their owner unless `--chown` is given;
 * `--chmod` replaces the mode of every copied file and directory. Directories COPY has to create
 * for the destination get the `--chown` owner too.
 */
import { execFile } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { chmod, copyFile, lchown, lstat, lutimes, mkdir, open, readlink, rm, stat, symlink, utimes } from 'node:fs/promises';
import { dirname, posix } from 'node:path';
import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { createGunzip } from 'node:zlib';
import { readTar } from '../tar/tar-reader.ts';
import { applyLayer, entryComponents, resolveInRoot } from '../unpack.ts';
import type { ResolvedSource, SourceEntry } from './source-tree.ts';

const exec = promisify(execFile);

/** Numeric owner for copied files. */
export interface Owner {
  uid: number;
  gid: number;
}

/** Copies a whole tree (owners, modes, links, times) into an existing empty directory. */
export async function cloneTree(from: string, to: string): Promise<void> {
  await exec('cp', ['-a', `${from}/.`, to]);
}

/** The host path of a directory inside the image, following a symlink as the last component too. */
async function hostDir(root: string, parts: string[]): Promise<string> {
  return dirname(await resolveInRoot(root, [...parts, '.probe']));
}

/**
 * Creates `path` (inside the image) and its parents (mode 0755); returns the host path of the
 * directory. `onCreate` sees each directory this call created.
 */
export async function mkdirInRootfs(root: string, path: string, onCreate?: (hostPath: string) => Promise<void>): Promise<string> {
  const parts = entryComponents(path);
  for (let i = 1; i <= parts.length; i++) {
    const dir = await hostDir(root, parts.slice(0, i));
    const st = await lstat(dir).catch(() => undefined);
    if (!st) {
      await mkdir(dir);
      await chmod(dir, 0o755);
      await onCreate?.(dir);
    } else if (!st.isDirectory()) {
      throw new Error(`${path}: ${parts.slice(0, i).join('/')} exists and is not a directory`);
    }
  }
  return hostDir(root, parts);
}

async function isDirInRootfs(root: string, path: string): Promise<boolean> {
  const parts = entryComponents(path);
  if (parts.length === 0) return true;
  return (await stat(await hostDir(root, parts)).catch(() => undefined))?.isDirectory() === true;
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

/** One COPY/ADD into a rootfs. */
export interface CopyRequest {
  /** The build rootfs written to. */
  root: string;
  sources: ResolvedSource[];
  /** Destination as written (a trailing `/` means a directory). */
  dest: string;
  /** The image's WORKDIR, against which a relative destination is resolved. */
  workingDir: string;
  /** ADD: local tar archives are extracted into the destination instead of copied. */
  extractArchives: boolean;
  /** `--chown`, resolved to numbers. */
  owner?: Owner;
  /** Keep the source owner when no `--chown` is given (COPY --from); otherwise 0:0. */
  keepOwner: boolean;
  /** `--chmod`. */
  mode?: number;
}

/** Writes one entry at `target` (a host path inside the rootfs whose parents exist). */
async function copyEntry(e: SourceEntry, target: string, req: CopyRequest): Promise<void> {
  const st = await (e.rel === '' && e.kind === 'file' ? stat(e.host) : lstat(e.host));
  const existing = await lstat(target).catch(() => undefined);
  const keep = (e.kind === 'directory' && existing?.isDirectory()) || (e.kind === 'file' && existing?.isFile());
  if (existing && !keep) await rm(target, { recursive: true, force: true }); // replace; never write through a symlink
  const owner = req.owner ?? (req.keepOwner ? { uid: st.uid, gid: st.gid } : { uid: 0, gid: 0 });
  if (e.kind === 'symlink') {
    await symlink(await readlink(e.host), target);
    await lchown(target, owner.uid, owner.gid);
    await lutimes(target, st.atime, st.mtime);
    return;
  }
  if (e.kind === 'directory') {
    if (!existing?.isDirectory()) await mkdir(target);
  } else {
    await copyFile(e.host, target);
  }
  await lchown(target, owner.uid, owner.gid);
  await chmod(target, req.mode ?? st.mode & 0o7777); // after chown, which clears setuid bits
  await utimes(target, st.atime, st.mtime);
}

async function copyTree(src: ResolvedSource, destInImage: string, req: CopyRequest): Promise<void> {
  const onCreate = req.owner ? (d: string): Promise<void> => lchown(d, req.owner?.uid ?? 0, req.owner?.gid ?? 0) : undefined;
  await mkdirInRootfs(req.root, destInImage, onCreate);
  for (const e of src.entries) {
    const parts = entryComponents(posix.join(destInImage, e.rel));
    // An excluded directory may still hold re-included files: create their parents on demand.
    await mkdirInRootfs(req.root, posix.dirname(`/${parts.join('/')}`), onCreate);
    await copyEntry(e, await resolveInRoot(req.root, parts), req);
  }
}

/** Performs COPY/ADD of resolved sources into the rootfs. */
export async function copyIntoRootfs(req: CopyRequest): Promise<void> {
  const { root, dest, sources } = req;
  const destInImage = posix.resolve(req.workingDir || '/', dest);
  const multiple = sources.length > 1;
  if (multiple && !dest.endsWith('/')) throw new Error(`when using COPY with more than one source file, the destination must be a directory and end with a / (${dest})`);
  const destIsDir = dest.endsWith('/') || dest === '.' || multiple || (await isDirInRootfs(root, destInImage));
  for (const src of sources) {
    if (src.isDirectory) {
      // Like Docker: a directory source copies its contents, not the directory itself.
      await copyTree(src, destInImage, req);
      continue;
    }
    const kind = req.extractArchives ? await archiveKind(src.host) : undefined;
    if (kind) {
      const target = await mkdirInRootfs(root, destInImage);
      let stream: Readable = createReadStream(src.host);
      if (kind === 'gzip') stream = stream.pipe(createGunzip());
      await applyLayer(target, readTar(stream), { entries: 0, skipped: 0, whiteouts: 0 });
      continue;
    }
    const targetInImage = destIsDir ? posix.join(destInImage, posix.basename(src.path)) : destInImage;
    await copyTree({ ...src, entries: [] }, posix.dirname(targetInImage), req);
    const parts = entryComponents(targetInImage);
    const [entry] = src.entries;
    if (entry) await copyEntry(entry, await resolveInRoot(root, parts), req);
  }
}

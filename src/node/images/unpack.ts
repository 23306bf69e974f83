/**
 * Applies image layers, in order, to a plain directory: whiteouts (`.wh.<name>`) delete, opaque
 * markers (`.wh..wh..opq`) empty a directory of what lower layers put there. Every path is
 * resolved inside the root as if chrooted, so neither `..` nor a symlink planted by an earlier
 * entry can make a write land outside it. Device nodes and fifos are skipped (the runtime
 * provides /dev); entries with `..` components are rejected outright.
 */
import { chmod, lchown, link, lstat, lutimes, mkdir, readdir, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { posix } from 'node:path';
import type { TarEntry } from './tar/tar-reader.ts';

const WHITEOUT = '.wh.';
const OPAQUE = '.wh..wh..opq';

/** Splits a tar path into clean components, rejecting `..` and empty results. */
export function entryComponents(path: string): string[] {
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) throw new Error(`layer entry ${JSON.stringify(path)} escapes the root`);
  return parts;
}

async function isSymlink(p: string): Promise<string | undefined> {
  try {
    const st = await lstat(p);
    return st.isSymbolicLink() ? readlink(p) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Resolves the parent directories of `parts` inside `root`, following symlinks the way the
 * container will see them (absolute targets are relative to the root; `..` stops at the root).
 * The last component is not followed: the entry replaces whatever is there.
 */
export async function resolveInRoot(root: string, parts: string[], knownDirs?: Set<string>): Promise<string> {
  const resolved: string[] = [];
  const pending = parts.slice(0, -1);
  let hops = 0;
  while (pending.length > 0) {
    const part = pending.shift() as string;
    if (part === '.' || part === '') continue;
    if (part === '..') { resolved.pop(); continue; }
    const here = posix.join(root, ...resolved, part);
    const target = knownDirs?.has(here) ? undefined : await isSymlink(here);
    if (target === undefined) { resolved.push(part); continue; }
    if (++hops > 40) throw new Error(`too many symlinks resolving ${parts.join('/')}`);
    if (target.startsWith('/')) resolved.length = 0;
    pending.unshift(...target.split('/'));
  }
  const last = parts[parts.length - 1];
  return last === undefined ? root : posix.join(root, ...resolved, last);
}

/** Counts what was done, for logs and tests. */
export interface UnpackStats {
  entries: number;
  skipped: number;
  whiteouts: number;
}

/** Applies one layer's entries onto `root`. */
export async function applyLayer(root: string, entries: AsyncIterable<TarEntry>, stats: UnpackStats): Promise<void> {
  const created = new Set<string>(); // paths this layer wrote; an opaque marker must not remove them
  const dirModes: Array<[string, number, number]> = [];
  // Real directories seen in this layer: saves an lstat per path component and a mkdir per entry.
  // Anything that removes or replaces files clears it, so it can never vouch for a stale path.
  const knownDirs = new Set<string>();
  for await (const e of entries) {
    stats.entries++;
    const parts = entryComponents(e.path);
    if (parts.length === 0) continue; // "./" itself
    const name = parts[parts.length - 1] as string;
    const target = await resolveInRoot(root, parts, knownDirs);
    if (name === OPAQUE || name.startsWith(WHITEOUT)) knownDirs.clear();
    if (name === OPAQUE) {
      stats.whiteouts++;
      await emptyDir(posix.dirname(target), created);
      continue;
    }
    if (name.startsWith(WHITEOUT)) {
      stats.whiteouts++;
      await rm(posix.join(posix.dirname(target), name.slice(WHITEOUT.length)), { recursive: true, force: true });
      continue;
    }
    if (!(await writeEntry(root, target, e, knownDirs))) { stats.skipped++; continue; }
    created.add(target);
    if (e.type === 'directory') dirModes.push([target, e.mode, e.mtime]);
  }
  // Directory modes last: a read-only directory must not stop its own children from being written.
  for (const [dir, mode, mtime] of dirModes.reverse()) {
    await chmod(dir, mode);
    await lutimes(dir, mtime, mtime);
  }
}

async function emptyDir(dir: string, keep: Set<string>): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  for (const n of names) {
    const p = posix.join(dir, n);
    if (!keep.has(p)) await rm(p, { recursive: true, force: true });
  }
}

/** Writes one entry; false when it was skipped. */
async function writeEntry(root: string, target: string, e: TarEntry, knownDirs: Set<string>): Promise<boolean> {
  const parent = posix.dirname(target);
  if (!knownDirs.has(parent)) {
    await mkdir(parent, { recursive: true });
    knownDirs.add(parent);
  }
  const existing = await lstat(target).catch(() => undefined);
  if (existing && !(existing.isDirectory() && e.type === 'directory')) {
    if (existing.isDirectory()) knownDirs.clear();
    await rm(target, { recursive: true, force: true });
  }
  switch (e.type) {
    case 'directory':
      await mkdir(target, { recursive: true, mode: 0o700 });
      await lchown(target, e.uid, e.gid);
      knownDirs.add(target);
      return true;
    case 'file':
      await writeFile(target, e.data, { mode: 0o600 });
      break;
    case 'symlink':
      await symlink(e.linkname, target); // absolute targets stay absolute: they mean the container's root
      await lchown(target, e.uid, e.gid);
      await lutimes(target, e.mtime, e.mtime);
      return true;
    case 'hardlink': {
      const source = await resolveInRoot(root, entryComponents(e.linkname));
      await link(source, target);
      return true;
    }
    default:
      return false; // devices, fifos, sparse files...
  }
  await lchown(target, e.uid, e.gid);
  await chmod(target, e.mode); // after chown, which clears set-id bits
  await lutimes(target, e.mtime, e.mtime);
  return true;
}

/**
 * Turns a change to a build rootfs into an image layer: snapshot the tree's metadata before and
 * after an instruction, and write what was added or changed plus a whiteout (`.wh.<name>`) for
 * each deleted path. Change detection compares inode, ctime and mtime as well as size and mode:
 * ctime moves on every write or chmod, so nothing an instruction touched is missed even when it
 * keeps the size and mtime the same.
 */
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { TarWriteEntry } from '../tar/tar-writer.ts';

/** What is compared between snapshots, per path relative to the root ("bin/sh"). */
interface FileMeta {
  kind: 'file' | 'directory' | 'symlink' | 'other';
  key: string;
}

/** Every path under a root with the metadata that reveals a change. */
export type Snapshot = Map<string, FileMeta>;

/** Paths to write into the layer and paths to white out. */
export interface RootfsDiff {
  changed: string[];
  deleted: string[];
}

function kindOf(st: { isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean }): FileMeta['kind'] {
  if (st.isFile()) return 'file';
  if (st.isDirectory()) return 'directory';
  if (st.isSymbolicLink()) return 'symlink';
  return 'other';
}

/** Walks `root` (without following symlinks) and records each path's metadata. */
export async function snapshotRootfs(root: string): Promise<Snapshot> {
  const out: Snapshot = new Map();
  const walk = async (rel: string): Promise<void> => {
    for (const name of await readdir(join(root, rel))) {
      const p = rel === '' ? name : `${rel}/${name}`;
      const st = await lstat(join(root, p), { bigint: true });
      const kind = kindOf(st);
      const key = [st.ino, st.mode, st.uid, st.gid, st.size, st.mtimeNs, st.ctimeNs].join(':');
      out.set(p, { kind, key });
      if (kind === 'directory') await walk(p);
    }
  };
  await walk('');
  return out;
}

/** Compares two snapshots; a deleted directory gets one whiteout, not one per child. */
export function diffSnapshots(before: Snapshot, after: Snapshot): RootfsDiff {
  const changed = [...after.entries()].filter(([p, m]) => before.get(p)?.key !== m.key).map(([p]) => p);
  const gone = [...before.keys()].filter((p) => !after.has(p));
  const goneSet = new Set(gone);
  const deleted = gone.filter((p) => !goneSet.has(posix.dirname(p)));
  // A path replaced by another kind (dir → file) is both deleted and written; writing it suffices.
  return { changed: changed.sort(), deleted: deleted.sort() };
}

async function entryFor(root: string, path: string): Promise<TarWriteEntry | undefined> {
  const abs = join(root, path);
  const st = await lstat(abs);
  const common = { path, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, mtime: Math.floor(st.mtimeMs / 1000) };
  if (st.isDirectory()) return { ...common, type: 'directory' };
  if (st.isSymbolicLink()) return { ...common, type: 'symlink', linkname: await readlink(abs) };
  // Hard links are written as separate files: simpler, and correct for every reader.
  if (st.isFile()) return { ...common, type: 'file', data: await readFile(abs) };
  return undefined; // devices, fifos and sockets: the runtime provides /dev, nothing else needs them
}

/**
 * The tar entries of a layer: changed paths with their parent directories (so the layer unpacks
 * on its own with the right modes), then whiteouts. Sorted, so equal trees give equal layers.
 */
export async function layerEntries(root: string, diff: RootfsDiff): Promise<TarWriteEntry[]> {
  const paths = new Set<string>();
  for (const p of diff.changed) {
    paths.add(p);
    for (let d = posix.dirname(p); d !== '.'; d = posix.dirname(d)) paths.add(d);
  }
  for (const p of diff.deleted) for (let d = posix.dirname(p); d !== '.'; d = posix.dirname(d)) paths.add(d);
  const entries: TarWriteEntry[] = [];
  for (const p of paths) {
    const e = await entryFor(root, p);
    if (e) entries.push(e);
  }
  for (const p of diff.deleted) {
    const dir = posix.dirname(p);
    entries.push({ path: `${dir === '.' ? '' : `${dir}/`}.wh.${posix.basename(p)}`, type: 'file', mode: 0o644, mtime: 0 });
  }
  return entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

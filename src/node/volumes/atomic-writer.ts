/**
 * Writes a projected volume the way the kubelet's AtomicWriter does, so a container never sees a
 * half-updated set of files: every version lives in its own hidden `..<hash>_<stamp>` directory,
 * `..data` is a symlink to the current one (swapped with a rename, which is atomic), and each
 * top-level name is a symlink through `..data`.
 */
import { createHash } from 'node:crypto';
import { chmod, mkdir, readdir, readlink, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ProjectedFile } from './projection.ts';

const DATA = '..data';

/** A short digest of paths, modes and contents; part of the version directory's name. */
export function filesDigest(files: ProjectedFile[]): string {
  const h = createHash('sha256');
  for (const f of [...files].sort((a, b) => a.path.localeCompare(b.path))) {
    h.update(`${f.path}\0${f.mode}\0${f.content.length}\0`);
    h.update(f.content);
  }
  return h.digest('hex').slice(0, 16);
}

async function currentVersion(dir: string): Promise<string | undefined> {
  try {
    return await readlink(join(dir, DATA));
  } catch {
    return undefined;
  }
}

/**
 * Makes `dir` hold exactly `files`. Returns false (and touches nothing) when it already does.
 * `stamp` only makes version names unique and readable (e.g. the clock's time).
 */
export async function writeAtomically(dir: string, files: ProjectedFile[], stamp: string): Promise<boolean> {
  await mkdir(dir, { recursive: true, mode: 0o755 });
  const digest = filesDigest(files);
  const old = await currentVersion(dir);
  if (old?.startsWith(`..${digest}_`)) return false;
  const version = `..${digest}_${stamp.replace(/[^0-9A-Za-z]/g, '')}`;
  const versionDir = join(dir, version);
  await rm(versionDir, { recursive: true, force: true });
  await mkdir(versionDir, { mode: 0o755 });
  for (const f of files) {
    const target = join(versionDir, f.path);
    await mkdir(dirname(target), { recursive: true, mode: 0o755 });
    await writeFile(target, f.content, { mode: f.mode });
    await chmod(target, f.mode); // writeFile's mode is masked by the umask
  }
  await chmod(versionDir, 0o755);
  const tmp = join(dir, `${DATA}_tmp`);
  await rm(tmp, { force: true });
  await symlink(version, tmp);
  await rename(tmp, join(dir, DATA));
  await linkTopLevel(dir, new Set(files.map((f) => f.path.split('/')[0] ?? f.path)));
  if (old && old !== version) await rm(join(dir, old), { recursive: true, force: true });
  return true;
}

/** Each visible top-level name is `name -> ..data/name`; names that left the projection go away. */
async function linkTopLevel(dir: string, names: Set<string>): Promise<void> {
  const existing = new Set(await readdir(dir));
  for (const name of existing) {
    if (!name.startsWith('..') && !names.has(name)) await rm(join(dir, name), { force: true, recursive: true });
  }
  for (const name of names) {
    if (!existing.has(name)) await symlink(join(DATA, name), join(dir, name));
  }
}

/**
 * The files a COPY/ADD reads: from the build context (minus what `.dockerignore` excludes) or
 * from another stage's / image's root filesystem. Sources are resolved (globs expanded) and listed
 * once; the same listing feeds the build-cache digest and the copy, so what is hashed is what is
 * copied.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readFile, readdir, readlink, stat } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import { resolveInRoot } from '../unpack.ts';
import { IgnoreRules, cleanRelative, hasGlob, patternToRegExp } from './path-pattern.ts';

/** Where sources are read from. */
export interface SourceRoot {
  dir: string;
  /**
   * A root filesystem (`COPY --from`): paths are resolved as inside a container (absolute
   * symlinks are relative to `dir`). Otherwise the build context, filtered by `ignore`.
   */
  isRootfs: boolean;
  ignore: IgnoreRules;
}

/** One entry under a source, relative to that source ("" is the source itself). */
export interface SourceEntry {
  rel: string;
  host: string;
  kind: 'file' | 'directory' | 'symlink';
}

/** A resolved top-level source: a file, symlink target or directory whose contents are copied. */
export interface ResolvedSource {
  /** Path relative to the source root, for messages and naming the destination. */
  path: string;
  host: string;
  isDirectory: boolean;
  entries: SourceEntry[];
}

/** Reads `<context>/.dockerignore`; no file means nothing is excluded. */
export async function loadIgnoreRules(contextDir: string): Promise<IgnoreRules> {
  const text = await readFile(join(contextDir, '.dockerignore'), 'utf8').catch(() => undefined);
  return text === undefined ? IgnoreRules.none() : IgnoreRules.parse(text);
}

/** The host path of `rel` under the root; inside a rootfs every symlink (also the last) is followed. */
async function hostPath(root: SourceRoot, rel: string): Promise<string> {
  if (!root.isRootfs) return join(root.dir, rel);
  const parts = rel.split('/').filter((p) => p !== '' && p !== '.');
  return dirname(await resolveInRoot(root.dir, [...parts, '.probe']));
}

function excluded(root: SourceRoot, rel: string): boolean {
  return !root.isRootfs && rel !== '.' && root.ignore.excludes(rel);
}

/** Expands one glob against the tree, segment by segment; hidden files match like any other. */
async function expandGlob(root: SourceRoot, pattern: string): Promise<string[]> {
  let matches = ['.'];
  for (const segment of pattern.split('/')) {
    const next: string[] = [];
    const re = hasGlob(segment) ? patternToRegExp(segment) : undefined;
    for (const base of matches) {
      if (!re) {
        next.push(base === '.' ? segment : `${base}/${segment}`);
        continue;
      }
      const names = await readdir(await hostPath(root, base)).catch(() => [] as string[]);
      for (const n of names.sort()) if (re.test(n)) next.push(base === '.' ? n : `${base}/${n}`);
    }
    matches = next;
  }
  const out: string[] = [];
  for (const m of matches) if (!excluded(root, m) && (await lstat(await hostPath(root, m)).catch(() => undefined))) out.push(m);
  return out;
}

async function listTree(root: SourceRoot, top: string, host: string): Promise<SourceEntry[]> {
  const out: SourceEntry[] = [];
  const pruneExcluded = !root.ignore.hasExceptions;
  const walk = async (rel: string): Promise<void> => {
    for (const name of (await readdir(join(host, rel))).sort()) {
      const r = rel === '' ? name : `${rel}/${name}`;
      const st = await lstat(join(host, r));
      const isExcluded = excluded(root, top === '.' ? r : `${top}/${r}`);
      if (st.isDirectory()) {
        if (!isExcluded) out.push({ rel: r, host: join(host, r), kind: 'directory' });
        if (!isExcluded || !pruneExcluded) await walk(r);
      } else if (!isExcluded && (st.isFile() || st.isSymbolicLink())) {
        out.push({ rel: r, host: join(host, r), kind: st.isFile() ? 'file' : 'symlink' });
      }
    }
  };
  await walk('');
  return out;
}

/**
 * Resolves COPY/ADD sources (already variable-expanded) against a root. Errors like Docker's
 * for a source that does not exist, is excluded by `.dockerignore`, or leaves the context.
 */
export async function resolveSources(root: SourceRoot, sources: string[]): Promise<ResolvedSource[]> {
  const out: ResolvedSource[] = [];
  for (const src of sources) {
    if (/^[a-z]+:\/\//i.test(src)) throw new Error(`${src}: URLs are not supported (builds have no network)`);
    const normal = posix.normalize(src);
    if (!root.isRootfs && (normal === '..' || normal.startsWith('../'))) throw new Error(`${src}: forbidden path outside the build context`);
    const clean = cleanRelative(src);
    const paths = hasGlob(clean) ? await expandGlob(root, clean) : [clean];
    if (paths.length === 0) throw new Error(`${src}: no source files were specified (nothing matches)`);
    for (const path of paths) {
      const host = await hostPath(root, path);
      // Top-level symlinks are followed, as Docker does for a named source.
      const st = excluded(root, path) ? undefined : await stat(host).catch(() => undefined);
      if (!st) throw new Error(`"${src}": not found${root.isRootfs ? '' : ' in the build context (or excluded by .dockerignore)'}`);
      const isDirectory = st.isDirectory();
      out.push({ path, host, isDirectory, entries: isDirectory ? await listTree(root, path, host) : [{ rel: '', host, kind: 'file' }] });
    }
  }
  return out;
}

async function fileDigest(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/**
 * Digest of what a COPY reads: names, kinds, modes, contents and link targets (not times or host
 * owners, which a COPY from the context does not keep either), so a touched but unchanged file
 * still hits the build cache and any real change misses it.
 */
export async function sourcesDigest(sources: ResolvedSource[]): Promise<string> {
  const h = createHash('sha256');
  for (const s of sources) {
    h.update(`source\0${s.path}\0${s.isDirectory ? 'dir' : 'file'}\n`);
    for (const e of s.entries) {
      const st = await (e.kind === 'symlink' ? lstat(e.host) : stat(e.host));
      const body = e.kind === 'file' ? await fileDigest(e.host) : e.kind === 'symlink' ? await readlink(e.host) : '';
      h.update(`${e.rel}\0${e.kind}\0${(st.mode & 0o7777).toString(8)}\0${body}\n`);
    }
  }
  return `sha256:${h.digest('hex')}`;
}

/**
 * Runs one build step against a stage, with the build cache: FROM starts a stage; config-only
 * instructions change the config; RUN, COPY, ADD and WORKDIR change files, each into one layer.
 * Every step gets a cache key extending the previous step's; a step whose key has an entry reuses
 * its layer (` ---> Using cache`) instead of running, and only a miss materialises the rootfs.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { ImageStore } from '../image-store.ts';
import { cacheKey, type BuildCache, type CacheEntry } from './build-cache.ts';
import { parseChmod, resolveChown } from './chown.ts';
import { applyConfigInstruction, commandArgv, runEnvironment, variableLookup, workdirOf, type ArgSources } from './config-steps.ts';
import { copyIntoRootfs, mkdirInRootfs } from './copy-into-rootfs.ts';
import type { Instruction, Stage } from './dockerfile-parser.ts';
import { IgnoreRules } from './path-pattern.ts';
import { runBuildStep } from './run-step.ts';
import { expandWord, expandWords } from './shell-lex.ts';
import { resolveSources, sourcesDigest, type ResolvedSource, type SourceRoot } from './source-tree.ts';
import { findStage, type PlannedStage } from './stage-plan.ts';
import { addLayer, commitChange, loadBaseImage, materialize, type StageState } from './stage-state.ts';

/** What every step of one build shares. */
export interface BuildSession {
  store: ImageStore;
  cache: BuildCache;
  noCache: boolean;
  contextDir: string;
  ignore: IgnoreRules;
  args: ArgSources;
  /** All stages of the Dockerfile (for `--from` by name or index). */
  stages: Stage[];
  /** Finished stages by index. */
  built: Map<number, StageState>;
  runc: string;
  /** This build's scratch directory. */
  dir: string;
  idPrefix: string;
  log: (line: string) => void;
  counts: { steps: number; cached: number };
}

/** The 12 hex digits Docker shows for an id. */
export function shortId(digest: string): string {
  return digest.replace(/^sha256:/, '').slice(0, 12);
}

/** Starts a stage from its base (an image in the store, an earlier stage, or scratch). */
export async function startStage(b: BuildSession, p: PlannedStage): Promise<StageState> {
  const rootfs = join(b.dir, `stage-${p.stage.index}`);
  const fresh = { index: p.stage.index, name: p.stage.name, rootfs, materialized: false, args: new Map<string, string | undefined>(), cmdSet: false };
  const platform = p.stage.from.flags.platform;
  if (platform !== undefined && expandWord(platform, (n) => b.args.metaArgs.get(n), b.args.escape) !== 'linux/amd64') {
    throw new Error(`Dockerfile line ${p.stage.from.line}: only --platform=linux/amd64 can be built here`);
  }
  if (p.base.kind === 'stage') {
    const parent = b.built.get(p.base.index);
    if (!parent) throw new Error(`stage ${p.base.index} was not built`);
    b.log(` ---> ${shortId(parent.key)}`);
    return {
      ...fresh, key: parent.key, config: structuredClone(parent.config), layers: [...parent.layers], diffIds: [...parent.diffIds],
      baseImage: parent.baseImage, buildLayers: [...parent.buildLayers],
    };
  }
  if (p.base.kind === 'scratch') {
    b.log(' ---> ');
    return { ...fresh, key: cacheKey(['FROM', 'scratch']), config: {}, layers: [], diffIds: [], buildLayers: [] };
  }
  const img = await loadBaseImage(b.store, p.base.ref, `FROM ${p.base.ref}`);
  b.log(` ---> ${shortId(img.configDigest)}`);
  return {
    ...fresh, key: cacheKey(['FROM', img.manifestDigest]), config: { ...(img.config.config ?? {}) },
    layers: [...img.manifest.layers], diffIds: [...img.config.rootfs.diff_ids],
    baseImage: { manifestDigest: img.manifestDigest, layers: img.manifest.layers }, buildLayers: [],
  };
}

async function lookup(b: BuildSession, key: string): Promise<CacheEntry | undefined> {
  const entry = b.noCache ? undefined : await b.cache.get(key);
  if (entry) {
    b.log(' ---> Using cache');
    b.counts.cached++;
  }
  return entry;
}

/** A step that changes files: reuse the cached layer, or materialise, run `change` and record the layer. */
async function fileStep(b: BuildSession, s: StageState, keyParts: unknown[], change: () => Promise<void>): Promise<void> {
  const key = cacheKey([s.key, ...keyParts]);
  const entry = await lookup(b, key);
  if (entry) {
    if (entry.layer) await addLayer(s, b.store.blobs, entry.layer, false);
  } else {
    await materialize(s, b.store);
    const layer = await commitChange(s, b.store.blobs, change);
    await b.cache.put(key, layer ? { layer } : {});
  }
  s.key = key;
  b.log(` ---> ${shortId(key)}`);
}

async function runStep(b: BuildSession, s: StageState, ins: Extract<Instruction, { kind: 'RUN' | 'CMD' | 'ENTRYPOINT' }>): Promise<void> {
  const argv = commandArgv(ins.command, s);
  const env = runEnvironment(s, b.args);
  const workingDir = s.config.WorkingDir || '/';
  const user = s.config.User ?? '';
  await fileStep(b, s, ['RUN', argv, env, workingDir, user], async () => {
    const cid = randomBytes(6).toString('hex');
    b.log(` ---> Running in ${cid}`);
    await runBuildStep({
      runc: b.runc, id: `${b.idPrefix}-${cid}`, bundleDir: join(b.dir, 'bundle'), rootfs: s.rootfs,
      argv, env, workingDir, user, log: b.log,
    });
    b.log(`Removing intermediate container ${cid}`);
  });
}

/** Where a COPY reads: the context, another stage (materialised on demand) or a stored image. */
interface CopySource {
  id: unknown;
  resolve: () => Promise<ResolvedSource[]>;
  keepOwner: boolean;
}

async function copySource(b: BuildSession, s: StageState, from: string | undefined, sources: string[]): Promise<CopySource> {
  if (from === undefined) {
    const resolved = await resolveSources({ dir: b.contextDir, isRootfs: false, ignore: b.ignore }, sources);
    return { id: ['context', await sourcesDigest(resolved)], resolve: () => Promise.resolve(resolved), keepOwner: false };
  }
  const rootfsSources = async (dir: string): Promise<ResolvedSource[]> => {
    const root: SourceRoot = { dir, isRootfs: true, ignore: IgnoreRules.none() };
    return resolveSources(root, sources);
  };
  const stage = findStage(b.stages, from, s.index);
  if (stage) {
    const state = b.built.get(stage.index);
    if (!state) throw new Error(`COPY --from=${from}: stage ${stage.name ?? stage.index} was not built`);
    // The stage's files are a function of its last cache key; no need to read them to key this step.
    return { id: ['stage', state.key], resolve: async () => rootfsSources(await materialize(state, b.store)), keepOwner: true };
  }
  if (/^\d+$/.test(from)) throw new Error(`COPY --from=${from}: there is no stage ${from} before this one`);
  const img = await loadBaseImage(b.store, from, `COPY --from=${from}`);
  const image = { manifestDigest: img.manifestDigest, layers: img.manifest.layers };
  return { id: ['image', img.manifestDigest], resolve: async () => rootfsSources(await b.store.unpacked(image)), keepOwner: true };
}

async function copyStep(b: BuildSession, s: StageState, ins: Extract<Instruction, { kind: 'COPY' | 'ADD' }>): Promise<void> {
  const vars = variableLookup(s);
  const word = (w: string): string => expandWord(w, vars, b.args.escape);
  const args = ins.json ? ins.args.map(word) : ins.args.flatMap((w) => expandWords(w, vars, b.args.escape));
  const dest = args[args.length - 1];
  if (args.length < 2 || dest === undefined) throw new Error(`Dockerfile line ${ins.line}: ${ins.kind} requires at least two arguments after expansion`);
  const sources = args.slice(0, -1);
  const from = ins.flags.from === undefined ? undefined : word(ins.flags.from);
  const chown = ins.flags.chown === undefined ? undefined : word(ins.flags.chown);
  const mode = ins.flags.chmod === undefined ? undefined : parseChmod(word(ins.flags.chmod));
  const src = await copySource(b, s, from, sources).catch((e: Error) => {
    throw new Error(`Dockerfile line ${ins.line}: ${ins.kind} failed: ${e.message}`, { cause: e });
  });
  const workingDir = s.config.WorkingDir || '/';
  await fileStep(b, s, [ins.kind, { from, chown, mode }, sources, dest, workingDir, src.id], async () => {
    const owner = chown === undefined ? undefined : await resolveChown(s.rootfs, chown);
    await copyIntoRootfs({
      root: s.rootfs, sources: await src.resolve(), dest, workingDir, extractArchives: ins.kind === 'ADD', owner, keepOwner: src.keepOwner, mode,
    });
  }).catch((e: Error) => {
    throw e.message.startsWith('Dockerfile line') ? e : new Error(`Dockerfile line ${ins.line}: ${ins.kind} failed: ${e.message}`, { cause: e });
  });
}

/** Runs one instruction of a stage. */
export async function runInstruction(b: BuildSession, s: StageState, ins: Instruction): Promise<void> {
  switch (ins.kind) {
    case 'FROM':
      throw new Error(`Dockerfile line ${ins.line}: FROM inside a stage`);
    case 'RUN':
      return runStep(b, s, ins);
    case 'COPY':
    case 'ADD':
      return copyStep(b, s, ins);
    case 'WORKDIR': {
      s.config.WorkingDir = workdirOf(ins.value, s, b.args);
      const dir = s.config.WorkingDir;
      return fileStep(b, s, ['WORKDIR', dir], () => mkdirInRootfs(s.rootfs, dir).then(() => undefined));
    }
    default: {
      const key = cacheKey([s.key, applyConfigInstruction(ins, s, b.args)]);
      if (!(await lookup(b, key))) await b.cache.put(key, {});
      s.key = key;
      b.log(` ---> ${shortId(key)}`);
    }
  }
}

/**
 * Builds an OCI image from a Dockerfile without Docker, printing progress the way Docker's classic
 * builder does (`Step 3/7 : RUN …`, ` ---> Using cache`, `Successfully built <id>`). Stages are
 * built in a scratch directory: a stage's rootfs is a plain directory (the base image's shared
 * unpacked rootfs copied, plus the build's layers), COPY/ADD write into it, RUN executes there in
 * a runc container (fresh, empty network namespace: builds get no network). Each file-changing
 * step becomes one layer, the diff of the directory before and after; unchanged steps come from the
 * build cache (`build-cache.ts`). The target stage is written as an OCI layout and imported into
 * the ImageStore under each requested name.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseImageRef } from '../image-ref.ts';
import type { ImageStore } from '../image-store.ts';
import { BuildCache } from './build-cache.ts';
import { runInstruction, shortId, startStage, type BuildSession } from './build-steps.ts';
import { parseDockerfile } from './dockerfile-parser.ts';
import { exportImageLayout } from './image-export.ts';
import { loadIgnoreRules } from './source-tree.ts';
import { PROXY_ARGS, planBuild } from './stage-plan.ts';

/** Where and how to build. */
export interface ImageBuilderConfig {
  store: ImageStore;
  /** Scratch space; a unique subdirectory is used per build and removed afterwards. */
  workDir: string;
  runc?: string;
  /** Prefix of the per-step ids (runc container ids, cgroup parents); default "minato-build". */
  idPrefix?: string;
  /** Progress (docker-build-shaped lines) and RUN output go here. */
  log?: (line: string) => void;
  /** Warnings (unused build-args) go here; default: `log`. */
  warn?: (line: string) => void;
}

/** One build request. */
export interface BuildRequest {
  /** Names to import the image under; none keeps it only in `outputLayout` (and the cache). */
  tags: string[];
  contextDir: string;
  /** Dockerfile text; default: `<contextDir>/Dockerfile`. */
  dockerfile?: string;
  /** `--build-arg` values. */
  buildArgs?: Record<string, string>;
  /** Stage to export (`--target`); default the last. */
  target?: string;
  /** Run every step, ignoring (but refreshing) the build cache. */
  noCache?: boolean;
  /** Also keep the image as an OCI layout in this directory. */
  outputLayout?: string;
}

/** What a build produced. */
export interface BuildResult {
  tags: string[];
  manifestDigest: string;
  /** The image ID: digest of the config blob, as Docker shows it. */
  imageId: string;
  layers: number;
  steps: number;
  /** Steps that reused the build cache. */
  cachedSteps: number;
  /** Build-args no ARG declared (Docker warns about them too). */
  unusedBuildArgs: string[];
}

/** Builds images into an {@link ImageStore}. */
export class ImageBuilder {
  private readonly cache: BuildCache;

  constructor(private readonly config: ImageBuilderConfig) {
    this.cache = new BuildCache(config.store.blobs);
  }

  /** Deletes build-cache entries whose layers `ImageStore.gc()` removed. */
  pruneCache(): Promise<number> {
    return this.cache.prune();
  }

  async build(req: BuildRequest): Promise<BuildResult> {
    const log = this.config.log ?? ((): void => undefined);
    const contextDir = resolve(req.contextDir);
    const file = parseDockerfile(req.dockerfile ?? (await readFile(join(contextDir, 'Dockerfile'), 'utf8')));
    const buildArgs = new Map(Object.entries(req.buildArgs ?? {}));
    const consumed = new Set<string>();
    const plan = planBuild(file, { buildArgs, target: req.target, consumed });
    const dir = join(this.config.workDir, `${this.config.idPrefix ?? 'minato-build'}-${randomBytes(4).toString('hex')}`);
    await mkdir(dir, { recursive: true });
    const session: BuildSession = {
      store: this.config.store, cache: this.cache, noCache: req.noCache === true, contextDir, ignore: await loadIgnoreRules(contextDir),
      args: { buildArgs, consumed, metaArgs: plan.metaArgs, escape: file.escape }, stages: file.stages, built: new Map(),
      runc: this.config.runc ?? '/usr/sbin/runc', dir, idPrefix: this.config.idPrefix ?? 'minato-build', log, counts: { steps: 0, cached: 0 },
    };
    try {
      for (const planned of plan.stages) {
        log(`Step ${++session.counts.steps}/${plan.steps} : ${planned.stage.from.text}`);
        const state = await startStage(session, planned);
        for (const ins of planned.stage.instructions) {
          log(`Step ${++session.counts.steps}/${plan.steps} : ${ins.text}`);
          await runInstruction(session, state, ins);
        }
        session.built.set(planned.stage.index, state);
      }
      const target = session.built.get(plan.target.index);
      if (!target) throw new Error('the target stage was not built');
      const unusedBuildArgs = [...buildArgs.keys()].filter((k) => !consumed.has(k) && !PROXY_ARGS.includes(k));
      if (unusedBuildArgs.length > 0) (this.config.warn ?? log)(`[Warning] One or more build-args [${unusedBuildArgs.join(' ')}] were not consumed`);
      const layoutDir = req.outputLayout ? resolve(req.outputLayout) : join(dir, 'layout');
      const first = req.tags[0];
      const exported = await exportImageLayout({
        blobs: this.config.store.blobs, layoutDir, config: target.config, layers: target.layers, diffIds: target.diffIds,
        name: first, refName: first === undefined ? undefined : (parseImageRef(first).tag ?? 'latest'),
      });
      log(`Successfully built ${shortId(exported.configDigest)}`);
      const tags: string[] = [];
      for (const name of req.tags) {
        const [imported] = await this.config.store.importArchive(layoutDir, { name });
        if (!imported) throw new Error('import of the built image produced nothing');
        tags.push(imported.name);
        log(`Successfully tagged ${imported.name}`);
      }
      return {
        tags, manifestDigest: exported.manifestDigest, imageId: exported.configDigest, layers: target.layers.length,
        steps: plan.steps, cachedSteps: session.counts.cached, unusedBuildArgs,
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}

/**
 * Decides what a multi-stage build builds: meta ARGs (before the first FROM) are resolved from
 * `--build-arg` values and defaults, FROM lines are expanded with them, and only the stages the
 * target stage (the last, or `--target`) depends on through `FROM <stage>` or `COPY --from` are
 * built, as BuildKit does.
 */
import type { Dockerfile, Instruction, Stage } from './dockerfile-parser.ts';
import { expandWord } from './shell-lex.ts';

/**
 * ARGs Docker defines without an ARG instruction: the proxy variables (passed to RUN, never
 * reported as unused) and the platform of the build, which a stage reads after `ARG TARGETARCH`.
 */
export const PROXY_ARGS: readonly string[] = ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'FTP_PROXY', 'ftp_proxy', 'NO_PROXY', 'no_proxy', 'ALL_PROXY', 'all_proxy'];
const PLATFORM_ARGS: ReadonlyArray<[string, string]> = [
  ['TARGETPLATFORM', 'linux/amd64'], ['TARGETOS', 'linux'], ['TARGETARCH', 'amd64'], ['TARGETVARIANT', ''],
  ['BUILDPLATFORM', 'linux/amd64'], ['BUILDOS', 'linux'], ['BUILDARCH', 'amd64'], ['BUILDVARIANT', ''],
];

/** What a stage starts from. */
export type StageBase = { kind: 'scratch' } | { kind: 'image'; ref: string } | { kind: 'stage'; index: number };

/** A stage to build, with its expanded FROM. */
export interface PlannedStage {
  stage: Stage;
  base: StageBase;
}

/** The stages to build, in order, and the values of the meta ARGs. */
export interface BuildPlan {
  stages: PlannedStage[];
  target: Stage;
  metaArgs: Map<string, string | undefined>;
  /** Steps to print: each built stage's FROM plus its instructions. */
  steps: number;
}

/** Finds a stage by name (case-insensitive) or index among the stages before `before`. */
export function findStage(stages: Stage[], ref: string, before: number): Stage | undefined {
  if (/^\d+$/.test(ref)) {
    const i = Number(ref);
    return i < before ? stages[i] : undefined;
  }
  return stages.slice(0, before).find((s) => s.name === ref.toLowerCase());
}

function resolveMetaArgs(file: Dockerfile, buildArgs: ReadonlyMap<string, string>, consumed: Set<string>): Map<string, string | undefined> {
  const scope = new Map<string, string | undefined>(PLATFORM_ARGS);
  for (const ins of file.metaArgs) {
    for (const { name, value } of ins.args) {
      if (buildArgs.has(name)) {
        consumed.add(name);
        scope.set(name, buildArgs.get(name));
      } else {
        scope.set(name, value === undefined ? undefined : expandWord(value, (n) => scope.get(n), file.escape));
      }
    }
  }
  return scope;
}

/** The stages an instruction needs built first (`COPY --from=<stage>`), expanded with the meta ARGs. */
function copyFromStage(ins: Instruction, stages: Stage[], stage: Stage, meta: Map<string, string | undefined>, escape: string): Stage | undefined {
  const from = ins.kind === 'COPY' ? ins.flags.from : undefined;
  if (from === undefined) return undefined;
  let ref: string;
  try {
    ref = expandWord(from, (n) => meta.get(n), escape);
  } catch {
    return undefined; // the stage's own ARGs are needed; checked again when the COPY runs
  }
  return findStage(stages, ref, stage.index);
}

/** Plans a build; throws for an unknown `--target`. `consumed` collects the build-args used. */
export function planBuild(file: Dockerfile, opts: { buildArgs: ReadonlyMap<string, string>; target?: string; consumed: Set<string> }): BuildPlan {
  const metaArgs = resolveMetaArgs(file, opts.buildArgs, opts.consumed);
  const target = opts.target === undefined ? file.stages[file.stages.length - 1] : file.stages.find((s) => s.name === opts.target?.toLowerCase());
  if (!target) throw new Error(`target stage ${JSON.stringify(opts.target)} could not be found`);
  const bases = new Map<number, StageBase>();
  for (const stage of file.stages) {
    const image = expandWord(stage.from.image, (n) => metaArgs.get(n), file.escape);
    if (image === '') throw new Error(`Dockerfile line ${stage.from.line}: FROM ${stage.from.image} expands to an empty image name (missing --build-arg?)`);
    const parent = findStage(file.stages, image, stage.index);
    bases.set(stage.index, parent ? { kind: 'stage', index: parent.index } : image === 'scratch' ? { kind: 'scratch' } : { kind: 'image', ref: image });
  }
  const needed = new Set<number>();
  const visit = (stage: Stage): void => {
    if (needed.has(stage.index)) return;
    needed.add(stage.index);
    const base = bases.get(stage.index);
    if (base?.kind === 'stage') visit(file.stages[base.index] as Stage);
    for (const ins of stage.instructions) {
      const dep = copyFromStage(ins, file.stages, stage, metaArgs, file.escape);
      if (dep) visit(dep);
    }
  };
  visit(target);
  const stages = file.stages.filter((s) => needed.has(s.index)).map((stage) => ({ stage, base: bases.get(stage.index) as StageBase }));
  const steps = stages.reduce((n, p) => n + 1 + p.stage.instructions.length, 0);
  return { stages, target, metaArgs, steps };
}

/**
 * `minato image build`: a Dockerfile build into a node's image store, with Docker's options
 * (`-t` repeatable, `-f`, `--build-arg` repeatable, `--target`, `--no-cache`, `-q`) and Docker's
 * classic output on stdout.
 */
import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ImageBuilder } from '../node/images/build/builder.ts';
import { ImageStore } from '../node/images/image-store.ts';

interface BuildFlags {
  tag?: string[];
  file?: string;
  buildArg?: string[];
  target?: string;
  cache: boolean;
  quiet?: boolean;
  output?: string;
  dataDir: string;
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/** `--build-arg k=v`, or `--build-arg k` to take the value from this process's environment (as docker does). */
export function parseBuildArgs(specs: string[], env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    const name = eq < 0 ? spec : spec.slice(0, eq);
    if (name === '') throw new Error(`--build-arg ${spec}: expected NAME=value`);
    const value = eq < 0 ? env[name] : spec.slice(eq + 1);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

async function runBuild(dir: string, flags: BuildFlags): Promise<void> {
  if (!flags.tag && !flags.output) throw new Error('give a name with -t NAME (or an OCI layout with --output DIR)');
  const dockerfile = await readFile(resolve(flags.file ?? join(dir, 'Dockerfile')), 'utf8');
  const builder = new ImageBuilder({
    store: new ImageStore({ root: join(resolve(flags.dataDir), 'images') }), workDir: join(resolve(flags.dataDir), 'build'),
    log: flags.quiet ? undefined : (line) => process.stdout.write(`${line}\n`),
    warn: (line) => process.stderr.write(`${line}\n`),
  });
  const built = await builder.build({
    tags: flags.tag ?? [], contextDir: resolve(dir), dockerfile, buildArgs: parseBuildArgs(flags.buildArg ?? []),
    target: flags.target, noCache: !flags.cache, outputLayout: flags.output,
  });
  if (flags.quiet) process.stdout.write(`${built.imageId}\n`);
}

/** Adds `build` to the `minato image` command group. */
export function registerImageBuildCommand(image: Command, dataDirOption: readonly [string, string, string]): void {
  image
    .command('build <dir>')
    .description(
      'Build an image from a Dockerfile, like `docker build` with the classic builder. Instructions: FROM (stored image, '
      + 'earlier stage or scratch; AS name), ARG, ENV, LABEL, COPY/ADD (--from, --chown, --chmod; globs; .dockerignore), '
      + 'RUN (in runc, no network), WORKDIR, USER, EXPOSE, VOLUME, STOPSIGNAL, SHELL, CMD, ENTRYPOINT. Unchanged steps '
      + 'come from the build cache in <data dir>/images/build-cache. Builds never pull: import base images first.',
    )
    .option('-t, --tag <name>', 'name of the built image, e.g. minato.local/hello:1 (repeatable; needed unless --output is given)', collect)
    .option('-f, --file <path>', 'the Dockerfile (default <dir>/Dockerfile)')
    .option('--build-arg <name=value>', 'set a build-time variable declared with ARG; NAME alone takes it from the environment (repeatable)', collect)
    .option('--target <stage>', 'build and export this stage (default: the last one)')
    .option('--no-cache', 'run every step instead of reusing cached layers (the cache is refreshed)')
    .option('-q, --quiet', 'print only the image ID')
    .option('-o, --output <dir>', 'also write the image as an OCI layout to this directory (skopeo oci:DIR:TAG, umoci DIR:TAG)')
    .option(...dataDirOption)
    .action(async (dir: string, flags: BuildFlags) => {
      try {
        await runBuild(dir, flags);
      } catch (e) {
        // A Dockerfile or build error is the user's to fix: the message, not a stack trace (as docker build).
        process.stderr.write(`error: ${(e as Error).message}\n`);
        process.exitCode = 1;
      }
    });
}

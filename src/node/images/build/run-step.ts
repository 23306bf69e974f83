/**
 * RUN: executes one command in the build rootfs with `runc run` (foreground), using the node
 * runtime's OCI spec builder so builds get the same capability set and masked paths as pods.
 * The container gets a fresh, empty network namespace, a per-step cgroup that is removed after,
 * and files (not pipes) for stdio, which runc handles without a reader to keep draining.
 */
import { spawn } from 'node:child_process';
import { mkdir, open, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveImageUser } from '../image-user.ts';
import { hostCgroupFs, removeEmptyCgroup } from '../../runtime/runc/cgroups.ts';
import { buildOciSpec } from '../../runtime/runc/oci-spec.ts';

/** One RUN step. */
export interface RunStep {
  runc: string;
  /** Unique per step and per machine: the runc container id and the cgroup parent. */
  id: string;
  /** Scratch directory for config.json, the runc state root and the output file. */
  bundleDir: string;
  rootfs: string;
  argv: string[];
  env: string[];
  workingDir: string;
  user: string;
  log: (line: string) => void;
}

async function nofileHardLimit(): Promise<number> {
  const text = await readFile('/proc/self/limits', 'utf8');
  const n = Number(text.split('\n').find((l) => l.startsWith('Max open files'))?.trim().split(/\s+/)[4]);
  return Number.isFinite(n) && n > 0 ? n : 1024;
}

function runRunc(runc: string, args: string[], out: number | 'ignore'): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(runc, args, { stdio: ['ignore', out, out] });
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

/** Runs the step; throws with the command's output when it exits non-zero. */
export async function runBuildStep(step: RunStep): Promise<void> {
  const stateRoot = join(step.bundleDir, 'runc');
  const outPath = join(step.bundleDir, 'output');
  await mkdir(stateRoot, { recursive: true });
  const user = await resolveImageUser(step.rootfs, step.user);
  const env = Object.fromEntries(step.env.map((e) => {
    const eq = e.indexOf('=');
    return eq < 0 ? [e, ''] : [e.slice(0, eq), e.slice(eq + 1)];
  }));
  const spec = buildOciSpec({
    id: step.id, podUid: 'build', podNamespace: 'build', podName: 'build', containerName: step.id,
    rootfs: step.rootfs, command: step.argv, env, workingDir: step.workingDir, user, hostname: 'build',
  }, { cgroupsPath: `/${step.id}/run`, nofileLimit: await nofileHardLimit() });
  await writeFile(join(step.bundleDir, 'config.json'), JSON.stringify(spec));
  const out = await open(outPath, 'w');
  let code: number;
  try {
    code = await runRunc(step.runc, ['--root', stateRoot, 'run', '--bundle', step.bundleDir, step.id], out.fd);
  } finally {
    await out.close();
    // runc run deletes the container when it exits; this covers a runc that died half-way.
    await runRunc(step.runc, ['--root', stateRoot, 'delete', '--force', step.id], 'ignore').catch(() => 1);
    await removeEmptyCgroup(hostCgroupFs, `/${step.id}/run`);
    await removeEmptyCgroup(hostCgroupFs, `/${step.id}`);
  }
  const output = await readFile(outPath, 'utf8');
  await rm(step.bundleDir, { recursive: true, force: true });
  for (const line of output.replace(/\n$/, '').split('\n')) if (output !== '') step.log(line);
  if (code !== 0) throw new Error(`RUN ${JSON.stringify(step.argv)} exited with ${code}: ${output.slice(-2000)}`);
}

import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const KUBECTL_DIR = '/usr/lib/google-cloud-sdk/bin';

export interface KubectlResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface Kubectl {
  (args: string[], opts?: { input?: string; env?: Record<string, string> }): Promise<KubectlResult>;
  binary: string;
}

/** A kubectl of the given version (`1.33`, or `dispatcher` for /usr/bin/kubectl) bound to a kubeconfig and its own cache dir. */
export function kubectl(version: string, kubeconfig: string): Kubectl {
  const binary = version === 'dispatcher' ? '/usr/bin/kubectl' : join(KUBECTL_DIR, `kubectl.${version}`);
  const cacheDir = mkdtempSync(join(tmpdir(), 'minato-kubectl-cache-'));
  const run = (args: string[], opts: { input?: string; env?: Record<string, string> } = {}) =>
    new Promise<KubectlResult>((resolve, reject) => {
      const child = spawn(binary, ['--kubeconfig', kubeconfig, '--cache-dir', cacheDir, ...args], { env: { ...process.env, ...opts.env }, stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.once('error', reject);
      child.once('close', (code) => resolve({ code, stdout, stderr }));
      child.stdin.end(opts.input ?? '');
    });
  return Object.assign(run, { binary });
}

/** Runs kubectl and fails with its output unless it exits 0. */
export async function ok(k: Kubectl, args: string[], opts?: { input?: string; env?: Record<string, string> }): Promise<string> {
  const r = await k(args, opts);
  if (r.code !== 0) throw new Error(`${k.binary} ${args.join(' ')} → ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return r.stdout;
}

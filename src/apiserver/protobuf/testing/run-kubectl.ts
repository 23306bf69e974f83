/** Runs the real kubectl binary against a stub server with a private kubeconfig and cache (test-only). */
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The kubectl binary for a minor version as installed on the development machines. */
export const kubectlBinary = (minor: number): string => `/usr/lib/google-cloud-sdk/bin/kubectl.1.${minor}`;

export interface KubectlResult {
  args: string[];
  code: number;
  stdout: string;
  stderr: string;
}

/** Writes a kubeconfig for `serverUrl` into a fresh temp dir and returns that dir. */
export async function kubeconfigDir(serverUrl: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'minato-kubectl-pb-'));
  const config = [
    'apiVersion: v1', 'kind: Config', 'current-context: stub',
    'clusters:', '- name: stub', '  cluster:', `    server: ${serverUrl}`,
    'users:', '- name: stub', '  user: {}',
    'contexts:', '- name: stub', '  context: {cluster: stub, user: stub, namespace: default}',
  ].join('\n');
  await writeFile(join(dir, 'kubeconfig'), `${config}\n`);
  return dir;
}

/** Runs one kubectl command; never throws for a non-zero exit (the result carries the code). */
export function runKubectl(binary: string, dir: string, args: string[], cacheName: string): Promise<KubectlResult> {
  const fullArgs = ['--kubeconfig', join(dir, 'kubeconfig'), '--cache-dir', join(dir, 'cache', cacheName), ...args];
  return new Promise((resolve) => {
    execFile(binary, fullArgs, { timeout: 15_000, env: { PATH: process.env.PATH ?? '', HOME: dir } },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ args, code, stdout, stderr });
      });
  });
}

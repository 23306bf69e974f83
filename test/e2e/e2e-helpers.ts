import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubectl, ok, type Kubectl } from '../support/kubectl.ts';

/** The kubectl versions most cases run with: the newest, and the oldest that still speaks OpenAPI v3. */
export const VERSIONS = ['1.33', '1.29'] as const;

/** A DNS-1123 name that no other test uses. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(3).toString('hex')}`;
}

/** Writes manifest text to a fresh temp file and returns its path (kubectl -f wants a file). */
export function manifestFile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'minato-e2e-manifest-'));
  const path = join(dir, 'manifest.yaml');
  writeFileSync(path, text);
  return path;
}

/** `kubectl get … -o json`, parsed. */
export async function getJson<T = Record<string, unknown>>(k: Kubectl, args: string[]): Promise<T> {
  return JSON.parse(await ok(k, ['get', ...args, '-o', 'json'])) as T;
}

/** Kubectl clients for every version a test file needs, bound to one kubeconfig. */
export function clients(kubeconfig: string): Record<string, Kubectl> {
  const all: Record<string, Kubectl> = {};
  for (const v of ['1.33', '1.29', '1.28', '1.27', 'dispatcher']) all[v] = kubectl(v, kubeconfig);
  return all;
}

/** Creates a namespace and returns its name. */
export async function freshNamespace(k: Kubectl, prefix: string): Promise<string> {
  const ns = uniqueName(prefix);
  await ok(k, ['create', 'namespace', ns]);
  return ns;
}

export interface StreamingCommand {
  /** Resolves with the stdout seen so far once it matches, rejects after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Kills the process and resolves with its exit code (or signal). */
  stop(): Promise<void>;
  exited: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/** Starts a long-running kubectl (`get -w`, `wait`) and lets a test watch its output as it arrives. */
export function startKubectl(k: Kubectl, kubeconfig: string, args: string[]): StreamingCommand {
  const cacheDir = mkdtempSync(join(tmpdir(), 'minato-kubectl-cache-'));
  const child = spawn(k.binary, ['--kubeconfig', kubeconfig, '--cache-dir', cacheDir, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
    for (const l of listeners) l();
  });
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
  return {
    exited,
    waitFor(pattern, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!pattern.test(stdout)) return;
          cleanup();
          resolve(stdout);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`${args.join(' ')}: no ${pattern} within ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A Deployment manifest with one or more containers, for apply round trips. */
export function deploymentManifest(opts: { name: string; namespace: string; replicas?: number; containers: Array<{ name: string; image: string; env?: Record<string, string> }> }): string {
  const containers = opts.containers
    .map((c) => {
      const env = Object.entries(c.env ?? {})
        .map(([name, value]) => `            - name: ${name}\n              value: "${value}"\n`)
        .join('');
      return `        - name: ${c.name}\n          image: ${c.image}\n          ports:\n            - containerPort: 80\n${env ? `          env:\n${env}` : ''}`;
    })
    .join('');
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${opts.name}
  namespace: ${opts.namespace}
  labels:
    app: ${opts.name}
    tier: web
spec:
  replicas: ${opts.replicas ?? 2}
  selector:
    matchLabels:
      app: ${opts.name}
  template:
    metadata:
      labels:
        app: ${opts.name}
    spec:
      containers:
${containers}`;
}

export { ok };

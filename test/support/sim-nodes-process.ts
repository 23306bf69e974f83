import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { REPO_ROOT, startServerProcess, type ServerProcess } from './minato-server.ts';

export interface SimNodesProcess {
  /** Node names, `<prefix>0` … `<prefix>N-1`. */
  names: string[];
  /** SIGTERM and wait for exit (the Nodes stay registered, as when a kubelet stops). */
  stop(): Promise<void>;
}

export interface SimNodesOptions {
  kubeconfig: string;
  count: number;
  zones?: string;
  namePrefix?: string;
  /** How long run-to-completion pods (Jobs) run, in seconds (default 1). */
  runSeconds?: number;
}

/**
 * Runs `minato sim-nodes` as a child process (the CLI, as a user would) and resolves once its nodes
 * are registered. Simulated nodes only move pod phases; no container runs.
 */
export async function startSimNodesProcess(opts: SimNodesOptions): Promise<SimNodesProcess> {
  const prefix = opts.namePrefix ?? 'sim-node-';
  const args = [join(REPO_ROOT, 'bin/minato.js'), 'sim-nodes', '--kubeconfig', opts.kubeconfig, '--count', String(opts.count), '--name-prefix', prefix];
  if (opts.zones) args.push('--zones', opts.zones);
  if (opts.runSeconds !== undefined) args.push('--run-seconds', String(opts.runSeconds));
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
  let out = '';
  let err = '';
  child.stderr.on('data', (c: Buffer) => {
    err += c.toString();
    if (err.length > 200_000) err = err.slice(-100_000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sim-nodes did not register in 30 s\n${out}\n${err}`)), 30_000);
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (/simulated nodes registered/.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`sim-nodes exited with ${code}\n${out}\n${err}`));
    });
  });
  return {
    names: Array.from({ length: opts.count }, (_, i) => `${prefix}${i}`),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * For one `describe` block: `minato server` plus `count` simulated nodes, started before its tests and
 * stopped after them. Read `kubeconfig` inside the tests (it exists once `before` has run).
 */
export function simulatedClusterForSuite(count = 3): { readonly kubeconfig: string } {
  let server: ServerProcess | undefined;
  let nodes: SimNodesProcess | undefined;
  before(async () => {
    server = await startServerProcess();
    nodes = await startSimNodesProcess({ kubeconfig: server.kubeconfig, count });
  });
  after(async () => {
    await nodes?.stop();
    await server?.dispose();
  });
  return {
    get kubeconfig(): string {
      if (!server) throw new Error('the simulated cluster starts in before(); read kubeconfig inside a test');
      return server.kubeconfig;
    },
  };
}

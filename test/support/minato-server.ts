import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface ServerProcess {
  url: string;
  kubeconfig: string;
  dataDir: string;
  child: ChildProcess;
  /** SIGTERM (or the given signal) and wait for exit. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** The tail of the server's stderr (structured logs), for failure messages. */
  logs(): string;
  /** Stops and removes the data dir. */
  dispose(): Promise<void>;
}

/** Runs `minato server` as a child process (the built CLI, as a user would) and waits until it is ready. */
export async function startServerProcess(opts: { dataDir?: string; store?: string; extraArgs?: string[]; /** Run the in-process node agent (needs root). */ agent?: boolean; readyTimeoutMs?: number } = {}): Promise<ServerProcess> {
  const dataDir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), 'minato-e2e-')));
  const args = [join(REPO_ROOT, 'bin/minato.js'), 'server', '--data-dir', dataDir, '--port', '0', ...(opts.agent ? [] : ['--disable-agent']), ...(opts.store ? ['--store', opts.store] : []), ...(opts.extraArgs ?? [])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
  let out = '';
  let err = '';
  child.stderr?.on('data', (c: Buffer) => {
    err += c.toString();
    if (err.length > 200_000) err = err.slice(-100_000);
  });
  const ready = await new Promise<{ url: string; kubeconfig: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in time\n${out}\n${err}`)), opts.readyTimeoutMs ?? 60_000);
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const url = /ready at (\S+)/.exec(out)?.[1];
      const kubeconfig = /kubeconfig: (\S+)/.exec(out)?.[1];
      if (url && kubeconfig) {
        clearTimeout(timer);
        resolve({ url, kubeconfig });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}\n${out}\n${err}`));
    });
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };
  return {
    ...ready,
    dataDir,
    child,
    stop,
    logs: () => err,
    async dispose() {
      await stop();
      if (!opts.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

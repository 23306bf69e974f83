import { spawn, type ChildProcess } from 'node:child_process';
import { access, constants, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The etcd binary Debian's etcd-server package installs. */
export const ETCD_BINARY = '/usr/bin/etcd';

export interface EtcdProcess {
  /** Client URL, e.g. http://127.0.0.1:40123. */
  url: string;
  /** Stops etcd and removes its data dir. */
  stop(): Promise<void>;
}

/**
 * Starts a throwaway single-member etcd on free loopback ports with a temp data dir, for tests and
 * benchmarks. Fails (never skips) when etcd is not installed, naming the package to install.
 */
export async function startEtcd(binary = ETCD_BINARY): Promise<EtcdProcess> {
  try {
    await access(binary, constants.X_OK);
  } catch {
    throw new Error(`etcd is not installed at ${binary}: install it with \`apt-get install -y etcd-server\``);
  }
  // Another process may grab a probed port before etcd binds it; a fresh pair usually works.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(binary);
    } catch (err) {
      if (attempt >= 3) throw err;
    }
  }
}

async function startOnce(binary: string): Promise<EtcdProcess> {
  const [clientPort, peerPort] = [await freePort(), await freePort()];
  const dataDir = await mkdtemp(join(tmpdir(), 'minato-etcd-'));
  const url = `http://127.0.0.1:${clientPort}`;
  const peerUrl = `http://127.0.0.1:${peerPort}`;
  const child = spawn(binary, [
    '--name=minato-test',
    `--data-dir=${dataDir}`,
    `--listen-client-urls=${url}`,
    `--advertise-client-urls=${url}`,
    `--listen-peer-urls=${peerUrl}`,
    `--initial-advertise-peer-urls=${peerUrl}`,
    `--initial-cluster=minato-test=${peerUrl}`,
    '--logger=zap',
    '--log-level=error',
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const stop = async (): Promise<void> => {
    await stopChild(child);
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    await waitHealthy(url, child, () => stderr);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, stop };
}

async function waitHealthy(url: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`etcd exited (${child.exitCode ?? child.signalCode}) before it was healthy: ${stderr()}`);
    }
    try {
      const res = await fetch(`${url}/health`);
      if (res.ok && ((await res.json()) as { health?: string }).health === 'true') return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`etcd at ${url} was not healthy within 15 s: ${stderr()}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** A loopback port that was free a moment ago. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

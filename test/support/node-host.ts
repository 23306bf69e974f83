/** Host checks for root e2e tests that run `minato server` with its node agent. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { listNetns } from '../../src/node/network/cni/host-state.ts';
import { runCommand } from '../../src/node/launcher/run-command.ts';
import { cgroupLeftovers, hostCgroupFs } from '../../src/node/runtime/runc/cgroups.ts';
import { mountsUnder, processesMentioning, runcList } from '../../src/node/runtime/runc/test-support.ts';

/** The short id the agent derives host object names from (netns, bridge, nft tables, cgroups). */
export function nodeHostId(nodeName: string): string {
  return createHash('sha256').update(nodeName).digest('hex').slice(0, 6);
}

/** Everything of the node `nodeName` (data under `dir`) still on the host; all lists empty when clean. */
export async function nodeLeftovers(dir: string, nodeName: string): Promise<Record<string, string[]>> {
  const hostId = nodeHostId(nodeName);
  const agentDir = join(dir, 'server', 'agent');
  const tables = (await runCommand('nft', ['list', 'tables'])).stdout;
  return {
    netns: (await listNetns()).filter((n) => n.startsWith(`mz${hostId}`)),
    bridge: (await runCommand('ip', ['link', 'show', 'dev', `mz${hostId}br`])).code === 0 ? [`mz${hostId}br`] : [],
    nftTables: tables.split('\n').filter((l) => l.includes(hostId)),
    cgroups: await cgroupLeftovers(hostCgroupFs, `/minato-${hostId}`),
    mounts: await mountsUnder(dir),
    runc: runcList(join(agentDir, 'runc', 'runc')),
    processes: (await processesMentioning(dir)).map(String),
    podRecords: existsSync(join(agentDir, 'agent', 'pods')) ? ['pods dir'] : [],
  };
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** A running Debian docker-registry. */
export interface TestRegistry {
  /** host:port */
  address: string;
  stop(): Promise<void>;
}

/** Starts Debian's docker-registry on a free loopback port, storage under `dir`, optionally with htpasswd basic auth. */
export async function startRegistry(dir: string, name: string, htpasswd?: string): Promise<TestRegistry> {
  const port = await freePort();
  const auth = htpasswd ? `auth:\n  htpasswd:\n    realm: minato-test\n    path: ${htpasswd}\n` : '';
  const config = join(dir, `${name}.yml`);
  await writeFile(config, `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, name)}\n` +
    `  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:${port}\n${auth}`);
  const child: ChildProcess = spawn('/usr/bin/docker-registry', ['serve', config], { stdio: 'ignore' });
  const exited = new Promise((r) => child.once('exit', r));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  const deadline = Date.now() + 15000;
  for (;;) {
    const up = await fetch(`http://127.0.0.1:${port}/v2/`).then((r) => r.status === 200 || r.status === 401, () => false);
    if (up) return { address: `127.0.0.1:${port}`, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error('docker-registry did not start');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

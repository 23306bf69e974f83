/**
 * `minato server` with the in-process node agent for the benchmarks that need real containers:
 * unique node name / CIDRs / LB pool per run, busybox imported beforehand, everything removed on
 * exit (including Ctrl-C).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { kubectl, type Kubectl } from '../../test/support/kubectl.ts';
import { REPO_ROOT, startServerProcess, type ServerProcess } from '../../test/support/minato-server.ts';
import { subnetAt } from '../../src/node/network/ipv4.ts';
import { freeClusterCidr, requireHost } from '../../src/node/network/testing/host.ts';
import { requireBinaries } from '../../src/node/runtime/runc/test-support.ts';

const run = promisify(execFile);

export interface AgentCluster {
  server: ServerProcess;
  k: Kubectl;
  dir: string;
  podCidr: string;
  lbPrefix: string;
  /** Stops the server (it removes its host objects: --cleanup-on-exit) and the temp dir. Idempotent. */
  close(): Promise<void>;
}

/** The machine line every benchmark prints first. */
export function machine(): string {
  const c = cpus();
  return `${c.length} × ${c[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`;
}

/**
 * Starts the single-node cluster; `onSignal` cleanup makes an interrupted run leave no host objects.
 * `baseImages` (`minato image build-base` kinds) are imported into the node's store first.
 */
export async function startAgentCluster(baseImages: Array<'busybox' | 'node'> = ['busybox']): Promise<AgentCluster> {
  requireBinaries(['/usr/sbin/runc', '/usr/bin/conmon', '/bin/busybox']);
  requireHost(['ip', 'nft', 'iptables', '/usr/lib/cni/bridge', '/usr/lib/cni/host-local', '/usr/lib/cni/portmap', '/usr/lib/cni/loopback']);
  const id = randomBytes(3).toString('hex');
  // Short path: conmon's attach sockets live under it.
  const dir = await mkdtemp(`/tmp/mzb-${id}-`);
  const { cluster } = await freeClusterCidr();
  const podCidr = subnetAt(cluster, 1);
  const lbPrefix = `127.242.${randomBytes(1)[0] ?? 0}`;
  const minato = (args: string[]) => run(process.execPath, [join(REPO_ROOT, 'bin/minato.js'), ...args]);
  let server: ServerProcess | undefined;
  let closed: Promise<void> | undefined;
  const close = () =>
    (closed ??= (async () => {
      if (server && server.child.exitCode === null) await server.stop();
      await rm(dir, { recursive: true, force: true });
    })());
  const onSignal = () => void close().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    for (const kind of baseImages) {
      await minato(['image', 'build-base', kind, '-o', join(dir, `${kind}-layout`)]);
      await minato(['image', 'import', join(dir, `${kind}-layout`), '--data-dir', join(dir, 'server', 'agent')]);
    }
    server = await startServerProcess({
      dataDir: join(dir, 'server'),
      agent: true,
      extraArgs: ['--node-name', `bench-node-${id}`, '--pod-cidr', podCidr, '--cluster-cidr', cluster, '--lb-pool', `${lbPrefix}.0/24`, '--cleanup-on-exit'],
    });
  } catch (e) {
    await close();
    throw e;
  }
  return { server, k: kubectl('1.33', server.kubeconfig), dir, podCidr, lbPrefix, close };
}

/**
 * A single-node cluster with the real node agent, for the root end-to-end tests and the benchmarks:
 * `minato server` with its in-process agent (runc + conmon, CNI plugins, nftables), a unique node
 * name, a /16 cluster CIDR no route of this host touches yet, a random loopback LoadBalancer pool,
 * base images imported into the node's store before it starts, and everything removed on close or
 * on Ctrl-C. Fails (never skips) when not root or when a required binary is missing.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildBusyboxImage, buildNodeImage } from '../../src/node/images/base-images.ts';
import { ImageStore } from '../../src/node/images/image-store.ts';
import { subnetAt } from '../../src/node/network/ipv4.ts';
import { freeClusterCidr, requireHost } from '../../src/node/network/testing/host.ts';
import { requireBinaries } from '../../src/node/runtime/runc/test-support.ts';
import { kubectl, ok, type Kubectl } from './kubectl.ts';
import { REPO_ROOT, startServerProcess, type ServerProcess } from './minato-server.ts';

const run = promisify(execFile);

/** The `minato image build-base` kinds. */
export type BaseImageKind = 'busybox' | 'node';

/** Names as `minato image build-base` records them; the node image is big, so it gets fast gzip (as the CLI does). */
const BASE_IMAGES: Record<BaseImageKind, { name: string; tag: string; gzipLevel: number }> = {
  busybox: { name: 'minato.local/busybox:1', tag: '1', gzipLevel: 6 },
  node: { name: 'minato.local/node:20', tag: '20', gzipLevel: 1 },
};

/** What the set-up learns before the server starts, for options that depend on it. */
export interface AgentClusterPlan {
  dir: string;
  clusterCidr: string;
  podCidr: string;
  /**
   * This cluster's own Service range. Clusters of tests running side by side on one host must not
   * share one: each programs its ClusterIPs (the `kubernetes` Service's first address among them)
   * into the host's nftables, and a pod could reach the other cluster's API server.
   */
  serviceCidr: string;
}

/** Options of {@link startAgentCluster}; every one has a default that suits a plain single-node test. */
export interface AgentClusterOptions {
  /** Node name (default `mz-<random>`); the agent derives its host object names from it. */
  nodeName?: string;
  /** Base images imported into the node's store before the server starts (default `['busybox']`). */
  baseImages?: BaseImageKind[];
  /**
   * `in-process` (default) builds and imports as `minato image build-base|import` do, without their two
   * CLI start-ups per image (~10 s on a busy box); `cli` runs the commands, for a test that covers them.
   */
  importVia?: 'in-process' | 'cli';
  /** Binaries the test needs beyond runc, conmon and busybox. */
  binaries?: string[];
  /** Host tools the test needs beyond ip, nft, iptables and the CNI plugins. */
  hostTools?: string[];
  /**
   * More `minato server` arguments, after the node, CIDR and pool ones; a function runs after the checks
   * and the image import, just before the server starts (e.g. to create a network the arguments name).
   */
  extraArgs?: string[] | ((plan: AgentClusterPlan) => Promise<string[]>);
  /** `--cleanup-on-exit` (default true); false keeps pods and rules across a stop, for restart tests. */
  cleanupOnExit?: boolean;
  /** The kubectl `k` is (default `1.33`). */
  kubectlVersion?: string;
  /** A namespace to create once the server is up. */
  namespace?: string;
}

/** A running single-node cluster; `server` and `k` change on {@link AgentCluster.restart}. */
export interface AgentCluster extends AgentClusterPlan {
  server: ServerProcess;
  k: Kubectl;
  nodeName: string;
  /** The first three octets of the LoadBalancer pool (`<lbPrefix>.0/24`). */
  lbPrefix: string;
  /** Each imported image as `minato image import` prints it: `<name> <digest>`. */
  images: string[];
  /** Where each base image's OCI layout is (skopeo reads it as `oci:<dir>:<tag>`). */
  layouts: Partial<Record<BaseImageKind, string>>;
  /** Set-up figures: building + importing the images, and starting the server. */
  timings: { imagesMs: number; serverUpMs: number };
  /** Stops the server (if it runs) and starts it again on the same data dir with the same arguments. */
  restart(opts?: { cleanupOnExit?: boolean }): Promise<ServerProcess>;
  /** Stops the server (with --cleanup-on-exit it removes its host objects) and removes the temp dir. Idempotent. */
  close(): Promise<void>;
}

/** Builds a base image as `minato image build-base <kind> -o <outDir>` does; resolves to the layout dir. */
export async function buildBaseImage(kind: BaseImageKind, outDir: string): Promise<string> {
  const build = kind === 'busybox' ? buildBusyboxImage : buildNodeImage;
  return (await build(outDir, BASE_IMAGES[kind])).layoutDir;
}

/** Builds the base images under `dir` and imports them into the agent store at `agentDir`. */
async function importBaseImages(kinds: BaseImageKind[], dir: string, agentDir: string, via: 'in-process' | 'cli'): Promise<{ images: string[]; layouts: AgentCluster['layouts'] }> {
  const minato = async (args: string[]) => (await run(process.execPath, [join(REPO_ROOT, 'bin/minato.js'), ...args])).stdout;
  const images: string[] = [];
  const layouts: AgentCluster['layouts'] = {};
  for (const kind of kinds) {
    const layout = join(dir, `${kind}-layout`);
    layouts[kind] = layout;
    if (via === 'cli') {
      await minato(['image', 'build-base', kind, '-o', layout]);
      images.push(...(await minato(['image', 'import', layout, '--data-dir', agentDir])).trim().split('\n'));
    } else {
      await buildBaseImage(kind, layout);
      const imported = await new ImageStore({ root: join(agentDir, 'images') }).importArchive(layout);
      images.push(...imported.map((i) => `${i.name} ${i.digest}`));
    }
  }
  return { images, layouts };
}

/**
 * Starts the cluster. Until `close()` (or until the process gets SIGINT/SIGTERM, when it closes and
 * exits 130) the node's netns, bridge, nftables tables and cgroups exist on this host.
 */
export async function startAgentCluster(opts: AgentClusterOptions = {}): Promise<AgentCluster> {
  requireBinaries(['/usr/sbin/runc', '/usr/bin/conmon', '/bin/busybox', ...(opts.binaries ?? [])]);
  requireHost(['ip', 'nft', 'iptables', '/usr/lib/cni/bridge', '/usr/lib/cni/host-local', '/usr/lib/cni/portmap', '/usr/lib/cni/loopback', ...(opts.hostTools ?? [])]);
  const id = randomBytes(3).toString('hex');
  const nodeName = opts.nodeName ?? `mz-${id}`;
  // Short path: conmon's attach sockets live under it.
  const dir = await mkdtemp(`/tmp/mzc-${id}-`);
  // 127.240-249.x: a wide random range, so parallel runs on this shared machine rarely share a pool.
  const [a = 0, b = 0] = randomBytes(2);
  const lbPrefix = `127.${240 + (a % 10)}.${b}`;
  let server: ServerProcess | undefined;
  let closed: Promise<void> | undefined;
  const onSignal = (): void => void close().finally(() => process.exit(130));
  const close = (): Promise<void> =>
    (closed ??= (async () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      if (server && server.child.exitCode === null && server.child.signalCode === null) await server.stop();
      await rm(dir, { recursive: true, force: true });
    })());
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const { cluster: clusterCidr } = await freeClusterCidr();
    let serviceCidr = clusterCidr;
    while (serviceCidr === clusterCidr) serviceCidr = (await freeClusterCidr()).cluster;
    const plan: AgentClusterPlan = { dir, clusterCidr, podCidr: subnetAt(clusterCidr, 1), serviceCidr };
    const t0 = Date.now();
    const { images, layouts } = await importBaseImages(opts.baseImages ?? ['busybox'], dir, join(dir, 'server', 'agent'), opts.importVia ?? 'in-process');
    const imagesMs = Date.now() - t0;
    const extra = typeof opts.extraArgs === 'function' ? await opts.extraArgs(plan) : (opts.extraArgs ?? []);
    const args = ['--node-name', nodeName, '--pod-cidr', plan.podCidr, '--cluster-cidr', clusterCidr, '--service-cidr', serviceCidr, '--lb-pool', `${lbPrefix}.0/24`, ...extra];
    const start = (cleanupOnExit: boolean) =>
      startServerProcess({ dataDir: join(dir, 'server'), agent: true, extraArgs: cleanupOnExit ? [...args, '--cleanup-on-exit'] : args });
    const t1 = Date.now();
    server = await start(opts.cleanupOnExit ?? true);
    const k = kubectl(opts.kubectlVersion ?? '1.33', server.kubeconfig);
    const cluster: AgentCluster = {
      ...plan, server, k, nodeName, lbPrefix, images, layouts, close,
      timings: { imagesMs, serverUpMs: Date.now() - t1 },
      async restart(restartOpts = {}) {
        await cluster.server.stop();
        server = cluster.server = await start(restartOpts.cleanupOnExit ?? opts.cleanupOnExit ?? true);
        cluster.k = kubectl(opts.kubectlVersion ?? '1.33', server.kubeconfig);
        return server;
      },
    };
    if (opts.namespace) await ok(k, ['create', 'namespace', opts.namespace]);
    return cluster;
  } catch (e) {
    await close();
    throw e;
  }
}

/** A busybox pod that sleeps for an hour and stops within a second: a target for exec, attach and lookups. */
export function sleepingPod(ns: string, name: string): string {
  return `apiVersion: v1
kind: Pod
metadata: { name: ${name}, namespace: ${ns} }
spec:
  terminationGracePeriodSeconds: 1
  containers: [{ name: main, image: minato.local/busybox:1, command: [sleep, "3600"] }]
`;
}

/**
 * kubectl (1.33) as the ServiceAccount `ns/name`: a token from `kubectl create token` in a kubeconfig
 * of its own under the cluster's dir, trusting the cluster CA.
 */
export async function kubectlAsServiceAccount(cluster: AgentCluster, ns: string, name: string): Promise<Kubectl> {
  const token = (await ok(cluster.k, ['-n', ns, 'create', 'token', name])).trim();
  const kubeconfig = join(cluster.dir, `${ns}-${name}.kubeconfig`);
  await writeFile(kubeconfig, `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: "${cluster.server.url}", certificate-authority: "${join(cluster.dir, 'server', 'pki', 'ca.crt')}" } }]
users: [{ name: u, user: { token: "${token}" } }]
contexts: [{ name: x, context: { cluster: c, user: u } }]
current-context: x
`, { mode: 0o600 });
  return kubectl('1.33', kubeconfig);
}

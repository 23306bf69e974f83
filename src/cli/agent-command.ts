/**
 * `minato agent`: a node that registers with a cluster and runs the pods bound to it as runc
 * containers; and {@link startNodeAgent}, which `minato server` uses to run the same agent in-process.
 */
import { setMaxListeners } from 'node:events';
import type { Command } from 'commander';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { realClock, type Clock } from '../client/clock.ts';
import { connectionFromKubeconfig, type Connection } from '../client/connection.ts';
import { KubeClient } from '../client/kube-client.ts';
import { buildBusyboxImage, buildNodeImage } from '../node/images/base-images.ts';
import { ImageStore } from '../node/images/image-store.ts';
import { cleanupNode, runAgent } from '../node/agent/agent.ts';
import { StoreImages } from '../node/agent/image-service.ts';
import { registerImageBuildCommand } from './image-build-command.ts';
import type { AgentLog } from '../node/agent/worker-context.ts';
import { PeerRoutes } from '../node/network/cni/peer-routes.ts';
import { CniPodNetwork } from '../node/network/cni/pod-network.ts';
import { formatIpv4, parseCidr } from '../node/network/ipv4.ts';
import { NftServiceProxy } from '../node/network/proxy/service-proxy.ts';
import { RuncRuntime } from '../node/runtime/runc/runc-runtime.ts';

/** Options of {@link startNodeAgent}. */
export interface NodeAgentOptions {
  client: KubeClient;
  nodeName: string;
  /** Everything the agent puts on disk lives here (runc state, images, volumes, CNI state). */
  dataDir: string;
  log: AgentLog;
  /** The cluster CA (PEM), given to pods as ca.crt. */
  caCert?: string;
  /** Default: a /24 in 10.244.0.0/16 derived from the node name. */
  podCidr?: string;
  clusterCidr?: string;
  /**
   * DNS servers written into pods' resolv.conf. `'node'` (the default) runs cluster DNS in the agent
   * on the pod bridge's gateway address (port 53) and points pods at it; `[]` leaves images' own file.
   */
  clusterDns?: string[] | 'node';
  clusterDomain?: string;
  /** Program Services (ClusterIP, NodePort, LoadBalancer ingress) in nftables; default true. */
  serviceProxy?: boolean;
  nodeIP?: string;
  labels?: Record<string, string>;
  zone?: string;
  capacity?: Record<string, string>;
  clock?: Clock;
  /**
   * Serving certificate (signed by the cluster CA, SAN = nodeIP) and the CA that signs the API
   * server's kubelet-client certificate; with it the agent serves `kubectl logs` on `kubeletPort`.
   * In-process, issue it from the server's PKI (`issueLeafCert(pki.ca, { usage: 'server', … })`).
   */
  serving?: { cert: string; key: string; ca: string };
  /** Default 0: a free port, published in the Node's daemonEndpoints. */
  kubeletPort?: number;
}

/** A running in-process agent. */
export interface RunningNodeAgent {
  /** Resolves once the node is registered and pods are being watched. */
  ready: Promise<void>;
  /** Stops the agent; with `cleanup`, also removes every container, netns and rule it created. */
  stop(opts?: { cleanup?: boolean }): Promise<void>;
}

/** A short id for host object names (netns, bridge, nft table) derived from the node name. */
function shortId(nodeName: string): string {
  return createHash('sha256').update(nodeName).digest('hex').slice(0, 6);
}

/** The node's /24 of 10.244.0.0/16 when none is configured, derived from the node name. */
export function defaultPodCidr(nodeName: string): string {
  const n = createHash('sha256').update(nodeName).digest()[0] ?? 0;
  return `10.244.${(n % 250) + 1}.0/24`;
}

/** Builds runtime, images and network for a node and runs the agent until `stop`. */
export function startNodeAgent(opts: NodeAgentOptions): RunningNodeAgent {
  const id = shortId(opts.nodeName);
  const runtime = new RuncRuntime({ dataDir: join(opts.dataDir, 'runc'), cgroupPrefix: `minato-${id}` });
  const images = new StoreImages(new ImageStore({ root: join(opts.dataDir, 'images') }), join(opts.dataDir, 'containers'));
  const podCidr = opts.podCidr ?? defaultPodCidr(opts.nodeName);
  const network = new CniPodNetwork({ id, podCidr, clusterCidr: opts.clusterCidr ?? '10.244.0.0/16', stateDir: join(opts.dataDir, 'cni') });
  const gateway = formatIpv4(parseCidr(podCidr).base + 1);
  const serveDns = (opts.clusterDns ?? 'node') === 'node';
  const clusterDns = serveDns ? [gateway] : Array.isArray(opts.clusterDns) ? opts.clusterDns : [];
  const proxy = opts.serviceProxy === false ? undefined : new NftServiceProxy({ table: `minato-svc-${id}`, clusterCidr: opts.clusterCidr ?? '10.244.0.0/16', routeLocalnetInterfaces: [network.bridge] });
  const services = proxy
    ? { proxy, prepare: async () => void (await network.prepareNode()), dns: serveDns ? { address: gateway, clusterDomain: opts.clusterDomain } : undefined, nodeName: opts.nodeName, healthCheckAddress: opts.nodeIP ?? '127.0.0.1' }
    : undefined;
  // Routes to other machines' pod subnets; remembered on disk so `--cleanup` removes exactly these.
  const peerRoutes = new PeerRoutes({ stateFile: join(opts.dataDir, 'agent', 'peer-routes.json') });
  const stopping = new AbortController();
  setMaxListeners(0, stopping.signal); // one listener per informer and watch
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((r) => (markReady = r));
  let failed: (err: unknown) => void = () => undefined;
  const failure = new Promise<never>((_, reject) => (failed = reject));
  failure.catch(() => undefined);
  const done = runAgent(
    {
      client: opts.client, nodeName: opts.nodeName, dataDir: join(opts.dataDir, 'agent'), runtime, images, network,
      clock: opts.clock ?? realClock, log: opts.log, capacity: opts.capacity, labels: opts.labels, zone: opts.zone,
      podCidr, nodeIP: opts.nodeIP, caCert: opts.caCert, clusterDns, clusterDomain: opts.clusterDomain, services, peerRoutes, onReady: markReady,
      server: opts.serving ? { host: opts.nodeIP ?? '127.0.0.1', port: opts.kubeletPort ?? 0, ...opts.serving } : undefined,
    },
    stopping.signal,
  ).catch((err: unknown) => {
    opts.log('node agent stopped', { err: String(err) });
    failed(err);
  });
  return {
    ready: Promise.race([ready, failure]),
    async stop(o = {}) {
      stopping.abort();
      await done;
      if (o.cleanup) await cleanupNode({ runtime, images, network, peerRoutes, dataDir: join(opts.dataDir, 'agent') });
    },
  };
}

interface AgentFlags {
  server?: string;
  token?: string;
  certificateAuthority?: string;
  kubeconfig?: string;
  nodeName: string;
  dataDir: string;
  podCidr?: string;
  clusterCidr: string;
  clusterDns: string;
  nodeIp?: string;
  zone?: string;
  cleanup?: boolean;
  tlsCertFile?: string;
  tlsPrivateKeyFile?: string;
  clientCaFile?: string;
  port: string;
}

async function connectionOf(flags: AgentFlags): Promise<Connection> {
  if (flags.kubeconfig) return connectionFromKubeconfig(resolve(flags.kubeconfig));
  if (!flags.server || !flags.token) throw new Error('give --kubeconfig, or --server and --token');
  const ca = flags.certificateAuthority ? await readFile(resolve(flags.certificateAuthority)) : Buffer.alloc(0);
  return { server: flags.server, token: flags.token, ca };
}

/** Registers `minato agent` and `minato image` (the agent's local image store). */
export function registerAgentCommand(program: Command): void {
  registerImageCommand(program);
  program
    .command('agent')
    .description('Run a node agent: register a Node, heartbeat, and run the pods bound to it as runc containers (needs root)')
    .option('--server <url>', 'API server URL')
    .option('--token <token>', 'bearer token')
    .option('--certificate-authority <file>', 'CA bundle of the API server')
    .option('--kubeconfig <file>', 'use this kubeconfig instead of --server/--token')
    .option('--node-name <name>', 'name of the Node', os.hostname())
    .option('--data-dir <dir>', 'where runc state, images and volumes live', '.minato/agent')
    .option('--pod-cidr <cidr>', 'this node\'s pod subnet (default: a /24 of 10.244.0.0/16 from the node name)')
    .option('--cluster-cidr <cidr>', 'all pods of the cluster', '10.244.0.0/16')
    .option('--cluster-dns <ips>', 'comma-separated cluster DNS servers for pods\' resolv.conf, or "node": serve cluster DNS on the pod bridge\'s gateway', 'node')
    .option('--node-ip <ip>', 'the node\'s InternalIP', '127.0.0.1')
    .option('--zone <zone>', 'topology.kubernetes.io/zone label')
    .option('--tls-cert-file <file>', 'serving certificate for kubectl logs (signed by the cluster CA)')
    .option('--tls-private-key-file <file>', 'key of --tls-cert-file')
    .option('--client-ca-file <file>', 'CA of the API server\'s client certificate (default: --certificate-authority)')
    .option('--port <n>', 'port of the agent\'s HTTPS server (0: any free port)', '10250')
    .option('--cleanup', 'on stop, remove every container, network namespace and rule this agent created')
    .action(async (flags: AgentFlags) => {
      const log: AgentLog = (msg, fields) => process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), msg, ...fields })}\n`);
      const conn = await connectionOf(flags);
      const client = new KubeClient(conn, 'minato-agent');
      const read = (f: string): Promise<string> => readFile(resolve(f), 'utf8');
      const clientCa = flags.clientCaFile ? await read(flags.clientCaFile) : conn.ca.toString();
      const serving = flags.tlsCertFile && flags.tlsPrivateKeyFile ? { cert: await read(flags.tlsCertFile), key: await read(flags.tlsPrivateKeyFile), ca: clientCa } : undefined;
      const agent = startNodeAgent({
        client, nodeName: flags.nodeName, dataDir: resolve(flags.dataDir), log, caCert: conn.ca.length ? conn.ca.toString() : undefined,
        podCidr: flags.podCidr, clusterCidr: flags.clusterCidr, clusterDns: flags.clusterDns === 'node' ? 'node' : (flags.clusterDns ?? '').split(',').filter(Boolean), nodeIP: flags.nodeIp, zone: flags.zone,
        serving, kubeletPort: Number(flags.port),
      });
      await agent.ready;
      process.stdout.write(`node ${flags.nodeName} is ready\n`);
      const stop = async (signal: string): Promise<void> => {
        log('shutting down', { signal });
        await agent.stop({ cleanup: flags.cleanup === true });
        client.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop('SIGINT'));
      process.once('SIGTERM', () => void stop('SIGTERM'));
    });
}

const BASE_IMAGES = { busybox: 'minato.local/busybox:1', node: 'minato.local/node:20' } as const;

/**
 * `minato image import|build-base|build|list`: put images into a node's store without a registry. The store
 * is `<agent data dir>/images`; the default is the in-process agent of `minato server --data-dir .minato/server`.
 */
function registerImageCommand(program: Command): void {
  const image = program.command('image').description('Manage the images of a node agent (no registry needed)');
  const storeOf = (dataDir: string): ImageStore => new ImageStore({ root: join(resolve(dataDir), 'images') });
  const dataDirOption = ['--data-dir <dir>', 'the agent\'s data dir (minato server: <server data dir>/agent)', '.minato/server/agent'] as const;
  image
    .command('import <path>')
    .description('Import an oci-archive tar or an OCI layout directory (skopeo copy … oci-archive:FILE, umoci, build-base)')
    .option(...dataDirOption)
    .option('--name <ref>', 'image name (default: the name recorded in the archive)')
    .action(async (path: string, flags: { dataDir: string; name?: string }) => {
      const imported = await storeOf(flags.dataDir).importArchive(resolve(path), { name: flags.name });
      for (const i of imported) process.stdout.write(`${i.name} ${i.digest}\n`);
    });
  image
    .command('build-base <kind>')
    .description('Build a base image from this machine\'s binaries: busybox (busybox-static) or node (this Node.js), as an OCI layout')
    .requiredOption('-o, --output <dir>', 'where the OCI layout is written')
    .option('--name <ref>', 'image name recorded in the layout (default minato.local/<kind>:<tag>)')
    .action(async (kind: string, flags: { output: string; name?: string }) => {
      if (kind !== 'busybox' && kind !== 'node') throw new Error(`unknown base image ${kind}: use busybox or node`);
      const name = flags.name ?? BASE_IMAGES[kind];
      const tag = name.slice(name.lastIndexOf(':') + 1);
      const build = kind === 'busybox' ? buildBusyboxImage : buildNodeImage;
      const built = await build(resolve(flags.output), { name, tag, gzipLevel: kind === 'node' ? 1 : 6 });
      process.stdout.write(`${name} ${built.manifestDigest} → ${built.layoutDir}\n`);
    });
  registerImageBuildCommand(image, dataDirOption);
  image
    .command('list')
    .description('List the images in the store')
    .option(...dataDirOption)
    .action(async (flags: { dataDir: string }) => {
      for (const i of await storeOf(flags.dataDir).list()) process.stdout.write(`${i.name} ${i.digest}\n`);
    });
}

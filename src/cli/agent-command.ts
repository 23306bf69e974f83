/**
 * `minato agent`: a node that registers with a cluster and runs the pods bound to it as runc
 * containers; and {@link startNodeAgent}, which `minato server` uses to run the same agent in-process.
 */
import type { Command } from 'commander';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { realClock, type Clock } from '../client/clock.ts';
import { connectionFromKubeconfig, type Connection } from '../client/connection.ts';
import { KubeClient } from '../client/kube-client.ts';
import { ImageStore } from '../node/images/image-store.ts';
import { cleanupNode, runAgent } from '../node/agent/agent.ts';
import { StoreImages } from '../node/agent/image-service.ts';
import type { AgentLog } from '../node/agent/worker-context.ts';
import { CniPodNetwork } from '../node/network/cni/pod-network.ts';
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
  clusterDns?: string[];
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

function defaultPodCidr(nodeName: string): string {
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
  const stopping = new AbortController();
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((r) => (markReady = r));
  const done = runAgent(
    {
      client: opts.client, nodeName: opts.nodeName, dataDir: join(opts.dataDir, 'agent'), runtime, images, network,
      clock: opts.clock ?? realClock, log: opts.log, capacity: opts.capacity, labels: opts.labels, zone: opts.zone,
      podCidr, nodeIP: opts.nodeIP, caCert: opts.caCert, clusterDns: opts.clusterDns, onReady: markReady,
      server: opts.serving ? { host: opts.nodeIP ?? '127.0.0.1', port: opts.kubeletPort ?? 0, ...opts.serving } : undefined,
    },
    stopping.signal,
  ).catch((err: unknown) => opts.log('node agent stopped', { err: String(err) }));
  return {
    ready,
    async stop(o = {}) {
      stopping.abort();
      await done;
      if (o.cleanup) await cleanupNode({ runtime, images, network, dataDir: join(opts.dataDir, 'agent') });
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
  clusterDns?: string;
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

/** Registers `minato agent`. */
export function registerAgentCommand(program: Command): void {
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
    .option('--cluster-dns <ips>', 'comma-separated cluster DNS servers for pods\' resolv.conf')
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
        podCidr: flags.podCidr, clusterCidr: flags.clusterCidr, clusterDns: flags.clusterDns?.split(',').filter(Boolean), nodeIP: flags.nodeIp, zone: flags.zone,
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

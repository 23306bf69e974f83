/**
 * The node agent: registers this node, heartbeats, and runs the pods bound to it, one
 * {@link PodWorker} per pod. Cluster state is read only through the API (an informer on
 * `spec.nodeName=<node>`). On start it adopts the containers an earlier agent left running, so an
 * agent restart does not restart pods, and removes everything of pods no longer bound here.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import { setMaxListeners } from 'node:events';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../../client/clock.ts';
import { Informer } from '../../client/informer.ts';
import type { KubeClient } from '../../client/kube-client.ts';
import { R } from '../../client/resource-ref.ts';
import type { PodNetwork } from '../network/cni/pod-network.ts';
import { mustRun, runCommand } from '../launcher/run-command.ts';
import type { ContainerRuntime, ContainerStatus } from '../runtime/container-runtime.ts';
import { apiObjectSource, sharedObjectSource } from '../volumes/object-source.ts';
import { PodVolumes } from '../volumes/pod-volumes.ts';
import { ServiceAccountTokens } from '../volumes/service-account-token.ts';
import { CrashBackoff, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.ts';
import type { PodImageService } from './image-service.ts';
import { heartbeat, registerNode } from './node-heartbeat.ts';
import { runPeerNetwork, type PeerRouting } from './peer-network.ts';
import { buildNode, readHostFacts, type HostFacts } from './node-object.ts';
import { PodEvents } from './pod-events.ts';
import { startNodeServer, type NodeServerConfig } from './node-server.ts';
import { createKubeletMetrics } from '../server/metrics/kubelet-metrics.ts';
import { runServiceNetwork, type ServiceNetworkConfig } from './service-network.ts';
import { removePodResources } from './pod-termination.ts';
import { PodWorker } from './pod-worker.ts';
import { LABELS, type AgentLog, type WorkerContext } from './worker-context.ts';
import { StartGate } from './start-gate.ts';

/** Configuration of {@link runAgent}. */
export interface AgentConfig {
  client: KubeClient;
  nodeName: string;
  /** Owned by the agent: volumes, pod network records. */
  dataDir: string;
  runtime: ContainerRuntime;
  images: PodImageService;
  network: PodNetwork;
  clock: Clock;
  log: AgentLog;
  /** Overrides of detected capacity (`cpu`, `memory`, `pods`). */
  capacity?: Record<string, string>;
  labels?: Record<string, string>;
  zone?: string;
  /** This node's pod subnet, published as `spec.podCIDR` (the network must use the same). */
  podCidr?: string;
  /** The node's InternalIP (default 127.0.0.1: nothing is reachable from outside the machine). */
  nodeIP?: string;
  /** The cluster CA (PEM) given to pods as `ca.crt`. */
  caCert?: string;
  clusterDns?: string[];
  clusterDomain?: string;
  backoff?: BackoffPolicy;
  syncPeriodMs?: number;
  /** Pods set up at the same time; the rest wait their turn (default 4: two per core on these machines). */
  parallelPodStarts?: number;
  volumeRefreshMs?: number;
  heartbeatMs?: number;
  /** Detected when absent. */
  hostFacts?: HostFacts;
  /** The HTTPS API the API server proxies logs, exec, attach, port-forward and stats to; none when absent. Port 0 picks a free one. */
  server?: NodeServerConfig;
  /** Routes to the other nodes' pod subnets via their InternalIPs, driven by the Node list; none when absent. */
  peerRoutes?: PeerRouting;
  /** Service proxy and cluster DNS driven by Services and EndpointSlices; none when absent. */
  services?: Omit<ServiceNetworkConfig, 'client' | 'clock' | 'log'>;
  /** Called once the node is registered and the pods informer has synced. */
  onReady?: () => void;
}

/** Runs the agent until `signal` aborts. Containers keep running afterwards (the next agent adopts them). */
export async function runAgent(cfg: AgentConfig, outerSignal: AbortSignal): Promise<void> {
  // Every pod worker waits on the signal, so it has one listener per pod: lift Node's limit of 10 on our own copy.
  const stopping = new AbortController();
  setMaxListeners(0, stopping.signal);
  if (outerSignal.aborted) stopping.abort();
  else outerSignal.addEventListener('abort', () => stopping.abort(), { once: true });
  const signal = stopping.signal;
  const facts = cfg.hostFacts ?? (await readHostFacts());
  const nodeIP = cfg.nodeIP ?? '127.0.0.1';
  let podList: () => Pod[] = () => [];
  // Pod workers' runtime calls are counted (kubelet_runtime_operations_*); the server's reads are not.
  const metrics = createKubeletMetrics({ nodeName: cfg.nodeName, containers: () => cfg.runtime.listContainers() });
  const server = cfg.server ? await startNodeServer(cfg.server, { nodeName: cfg.nodeName, runtime: cfg.runtime, pods: () => podList(), metrics, clock: cfg.clock, log: cfg.log }) : undefined;
  const serverClosed = new Promise<void>((resolve) => signal.addEventListener('abort', () => void (server?.close() ?? Promise.resolve()).then(resolve, resolve), { once: true }));
  const desired = buildNode({ name: cfg.nodeName, capacity: cfg.capacity, labels: cfg.labels, zone: cfg.zone, podCidr: cfg.podCidr, nodeIP, kubeletPort: server?.port }, facts, cfg.clock.now());
  const node = await registerNode(cfg.client, desired).catch(async (err: unknown) => {
    await server?.close();
    throw err;
  });
  if (cfg.services) await recordProxy(cfg.dataDir, cfg.services.proxy.name);
  const services = cfg.services ? runServiceNetwork({ ...cfg.services, client: cfg.client, clock: cfg.clock, log: cfg.log }, signal) : undefined;
  const ctx: WorkerContext = { ...workerContext({ ...cfg, runtime: metrics.instrumentRuntime(cfg.runtime) }, node.status?.allocatable ?? {}, nodeIP), podStarted: metrics.podStarted };
  const hb = heartbeat(cfg.client, node, cfg.clock, cfg.log, signal, cfg.heartbeatMs);
  const peers = cfg.peerRoutes ? runPeerNetwork({ client: cfg.client, nodeName: cfg.nodeName, routes: cfg.peerRoutes, clock: cfg.clock, log: cfg.log }, signal) : undefined;

  const adopted = groupByPod(await cfg.runtime.listContainers());
  const workers = new Map<string, { worker: PodWorker; done: Promise<void> }>();
  const informer = new Informer<Pod>(cfg.client, R.pods, {
    fieldSelector: `spec.nodeName=${cfg.nodeName}`,
    clock: cfg.clock,
    onError: (err) => cfg.log('pod watch failed', { err: String(err) }),
  });
  const ensureWorker = (pod: Pod): void => {
    const uid = pod.metadata?.uid ?? '';
    const existing = workers.get(uid);
    if (existing) return existing.worker.update(pod);
    const worker = new PodWorker(ctx, pod, adopted.get(uid) ?? []);
    adopted.delete(uid);
    const done = worker.run(signal).finally(() => workers.delete(uid));
    workers.set(uid, { worker, done });
  };
  informer.on({
    add: ensureWorker,
    update: (_old, pod) => ensureWorker(pod),
    delete: (pod) => workers.get(pod.metadata?.uid ?? '')?.worker.markGone(),
  });
  podList = () => informer.list();
  const watching = informer.run(signal);
  await Promise.race([Promise.all([informer.waitForSync(), services?.ready]), new Promise((r) => signal.addEventListener('abort', r, { once: true }))]);
  if (!signal.aborted) {
    await removeOrphans(ctx, new Set(informer.list().map((p) => p.metadata?.uid ?? '')), adopted).catch((err: unknown) => cfg.log('orphan clean-up failed', { err: String(err) }));
    cfg.log('node agent ready', { node: cfg.nodeName, adopted: [...workers.keys()].length });
    cfg.onReady?.();
  }
  await watching;
  await hb;
  await peers;
  await Promise.all([...workers.values()].map((w) => w.done));
  await services?.stopped;
  await serverClosed;
}

const DEFAULT_PARALLEL_POD_STARTS = 4;
/** How long pods share one read of a ConfigMap or Secret (updates reach files within refresh + this). */
const OBJECT_CACHE_TTL_MS = 5000;

function workerContext(cfg: AgentConfig, allocatable: Record<string, string>, nodeIP: string): WorkerContext {
  const objects = sharedObjectSource(apiObjectSource(cfg.client), cfg.clock, OBJECT_CACHE_TTL_MS);
  const tokens = new ServiceAccountTokens(cfg.client, cfg.clock);
  const node = { allocatableCpu: allocatable.cpu ?? '1', allocatableMemory: allocatable.memory ?? '1Gi', hostIP: nodeIP };
  return {
    client: cfg.client,
    runtime: cfg.runtime,
    images: cfg.images,
    network: cfg.network,
    volumes: new PodVolumes({ dataDir: cfg.dataDir, objects, tokens, clock: cfg.clock, node, caCert: cfg.caCert }),
    tokens,
    objects,
    clock: cfg.clock,
    log: cfg.log,
    events: new PodEvents(cfg.client, cfg.nodeName, cfg.clock),
    backoff: new CrashBackoff(cfg.backoff ?? DEFAULT_BACKOFF),
    node,
    stateDir: join(cfg.dataDir, 'pod-network'),
    clusterDns: cfg.clusterDns,
    clusterDomain: cfg.clusterDomain,
    syncPeriodMs: cfg.syncPeriodMs ?? 1000,
    volumeRefreshMs: cfg.volumeRefreshMs ?? 10_000,
    startGate: new StartGate(cfg.parallelPodStarts ?? DEFAULT_PARALLEL_POD_STARTS),
  };
}

function groupByPod(containers: ContainerStatus[]): Map<string, ContainerStatus[]> {
  const out = new Map<string, ContainerStatus[]>();
  for (const c of containers) {
    const uid = c.labels[LABELS.podUid] ?? c.podUid;
    out.set(uid, [...(out.get(uid) ?? []), c]);
  }
  return out;
}

/** Removes containers, networks and volumes of pods that are no longer bound to this node. */
async function removeOrphans(ctx: WorkerContext, bound: Set<string>, adopted: Map<string, ContainerStatus[]>): Promise<void> {
  const uids = new Set<string>(adopted.keys());
  for (const uid of await ctx.volumes.knownPods()) uids.add(uid);
  const netRecords = await readdir(ctx.stateDir).catch(() => [] as string[]);
  for (const f of netRecords) if (f.endsWith('.json')) uids.add(f.slice(0, -5));
  for (const uid of uids) {
    if (bound.has(uid)) continue;
    ctx.log('removing orphaned pod', { uid });
    await removePodResources(ctx, uid, (adopted.get(uid) ?? []).map((c) => c.id));
  }
}

const PROXY_RECORD = 'service-proxy.json';

/** Notes the service proxy's nft table: its rules outlive this agent unless {@link cleanupNode} runs. */
async function recordProxy(dataDir: string, nftTable: string): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  await writeFile(join(dataDir, PROXY_RECORD), JSON.stringify({ nftTable }));
}

/** Removes every pod's containers, networks and volumes of this agent, the Service rules and peer routes it left (`--cleanup`). */
export async function cleanupNode(cfg: Pick<AgentConfig, 'runtime' | 'images' | 'network' | 'dataDir'> & { peerRoutes?: { removeAll(): Promise<void> } }): Promise<void> {
  await cfg.peerRoutes?.removeAll();
  const record = await readFile(join(cfg.dataDir, PROXY_RECORD), 'utf8').then((t) => JSON.parse(t) as { nftTable?: string }, () => ({ nftTable: undefined }));
  if (record.nftTable && /^[A-Za-z][A-Za-z0-9_-]{0,63}$/.test(record.nftTable)) await runCommand('nft', ['delete', 'table', 'ip', record.nftTable]);
  await rm(join(cfg.dataDir, PROXY_RECORD), { force: true });
  for (const c of await cfg.runtime.listContainers()) {
    await cfg.runtime.removeContainer(c.id);
    await cfg.images.releaseRootfs(c.id);
  }
  await cfg.network.cleanupAll();
  const mounts = await readFile('/proc/self/mountinfo', 'utf8');
  for (const line of mounts.split('\n')) {
    const mp = line.split(' ')[4];
    if (mp?.startsWith(join(cfg.dataDir, 'pods'))) await mustRun('umount', [mp]);
  }
  await rm(join(cfg.dataDir, 'pods'), { recursive: true, force: true });
  await rm(join(cfg.dataDir, 'pod-network'), { recursive: true, force: true });
}

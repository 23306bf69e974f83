/**
 * A real node for the agent's root tests: an in-process API server, RuncRuntime, the ImageStore
 * with the busybox base image imported (no registry), a CniPodNetwork in a free /16, and
 * {@link runAgent} — all named per run and removed again by `stop()`, which also reports what
 * was left on the host.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { startTestCluster, type TestCluster } from '../../../../test/support/test-cluster.ts';
import { isAlreadyExists } from '../../../client/api-error.ts';
import { realClock } from '../../../client/clock.ts';
import { R } from '../../../client/resource-ref.ts';
import { issueLeafCert } from '../../../apiserver/auth/pki-certs.ts';
import { connectionFromKubeconfig } from '../../../client/connection.ts';
import { request } from 'node:https';
import { buildBusyboxImage } from '../../images/base-images.ts';
import { ImageStore } from '../../images/image-store.ts';
import { listNetns } from '../../network/cni/host-state.ts';
import { CniPodNetwork } from '../../network/cni/pod-network.ts';
import { subnetAt } from '../../network/ipv4.ts';
import { freeClusterCidr, requireHost } from '../../network/testing/host.ts';
import { cgroupLeftovers, hostCgroupFs } from '../../runtime/runc/cgroups.ts';
import { RuncRuntime } from '../../runtime/runc/runc-runtime.ts';
import { mountsUnder, processesMentioning, requireBinaries, runcList } from '../../runtime/runc/test-support.ts';
import { cleanupNode, runAgent, type AgentConfig } from '../agent.ts';
import { StoreImages } from '../image-service.ts';

export const BUSYBOX = 'minato.local/busybox:1';
/** The same image under a second name, for image-update tests. */
export const BUSYBOX_2 = 'minato.local/busybox:2';

/** What a test gets. */
export interface AgentHarness {
  cluster: TestCluster;
  nodeName: string;
  id: string;
  dir: string;
  runtime: RuncRuntime;
  network: CniPodNetwork;
  /** Starts (or restarts) the agent; resolves once it is ready. */
  startAgent(): Promise<void>;
  /** Stops the agent, leaving containers running. */
  stopAgent(): Promise<void>;
  /** Creates a pod and binds it to this node. */
  createPod(pod: Pod): Promise<Pod>;
  getPod(name: string): Promise<Pod>;
  /** GET of an API path as text (pods/log), as kubectl does it. */
  getText(path: string): Promise<{ status: number; body: string }>;
  /** Stops everything; returns whatever the run left on the host (all lists should be empty). */
  stop(): Promise<Record<string, string[]>>;
  logs: string[];
}

/** Starts the API server and prepares the node (agent not started yet). */
export async function startAgentHarness(overrides: Partial<AgentConfig> = {}): Promise<AgentHarness> {
  requireBinaries(['/usr/sbin/runc', '/usr/bin/conmon', '/bin/busybox']);
  requireHost(['ip', 'nft', 'iptables', '/usr/lib/cni/bridge', '/usr/lib/cni/host-local', '/usr/lib/cni/portmap', '/usr/lib/cni/loopback']);
  const id = randomBytes(3).toString('hex');
  const dir = await mkdtemp(`/tmp/mza-${id}-`);
  const cluster = await startTestCluster();
  const nodeName = `node-${id}`;
  await cluster.client.create(R.serviceaccounts, { metadata: { name: 'default', namespace: 'default' } }).catch((e: unknown) => {
    if (!isAlreadyExists(e)) throw e;
  });
  const store = new ImageStore({ root: join(dir, 'images') });
  await buildBusyboxImage(join(dir, 'layout'), { name: BUSYBOX, tag: '1', gzipLevel: 0 });
  await store.importArchive(join(dir, 'layout'), { name: BUSYBOX });
  await store.importArchive(join(dir, 'layout'), { name: BUSYBOX_2 });
  const images = new StoreImages(store, join(dir, 'ctr'));
  const runtime = new RuncRuntime({ dataDir: join(dir, 'rt'), cgroupPrefix: `minato-${id}` });
  const { cluster: clusterCidr } = await freeClusterCidr();
  const podCidr = subnetAt(clusterCidr, 1);
  const network = new CniPodNetwork({ id, podCidr, clusterCidr, stateDir: join(dir, 'cni') });
  const pki = cluster.server.pki;
  const serving = await issueLeafCert(pki.ca, { commonName: nodeName, usage: 'server', hosts: ['127.0.0.1'], now: new Date(), validDays: 1 });
  const logs: string[] = [];
  let stopAgent: AbortController | undefined;
  let running: Promise<void> | undefined;
  const agentDir = join(dir, 'agent');
  const h: AgentHarness = {
    cluster, nodeName, id, dir, runtime, network, logs,
    async startAgent() {
      stopAgent = new AbortController();
      let ready: () => void = () => undefined;
      const isReady = new Promise<void>((r) => (ready = r));
      running = runAgent({
        client: cluster.client, nodeName, dataDir: agentDir, runtime, images, network, clock: realClock,
        log: (msg, fields) => logs.push(`${msg} ${JSON.stringify(fields ?? {})}`),
        podCidr, syncPeriodMs: 250, heartbeatMs: 2000, onReady: ready,
        caCert: pki.ca.cert, server: { host: '127.0.0.1', port: 0, cert: serving.cert, key: serving.key, ca: pki.ca.cert }, ...overrides,
      }, stopAgent.signal);
      await Promise.race([isReady, running.then(() => { throw new Error(`agent exited early: ${logs.join('\n')}`); })]);
    },
    async stopAgent() {
      stopAgent?.abort();
      await running;
    },
    async createPod(pod) {
      const created = await cluster.client.create<Pod>(R.pods, { ...pod, metadata: { namespace: 'default', ...pod.metadata } });
      await cluster.client.createSubresource(R.pods, 'default', created.metadata?.name ?? '', 'binding', {
        apiVersion: 'v1', kind: 'Binding', metadata: { name: created.metadata?.name }, target: { kind: 'Node', name: nodeName },
      });
      return created;
    },
    getPod: (name) => cluster.client.get<Pod>(R.pods, 'default', name),
    async getText(path) {
      const conn = await connectionFromKubeconfig(cluster.kubeconfig);
      const url = new URL(conn.server);
      return new Promise((resolve, reject) => {
        const req = request({ host: url.hostname, port: url.port, path, ca: conn.ca, cert: conn.cert, key: conn.key, headers: conn.token ? { Authorization: `Bearer ${conn.token}` } : {} }, (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        req.end();
      });
    },
    async stop() {
      await h.stopAgent();
      await cleanupNode({ runtime, images, network, dataDir: agentDir });
      await cluster.stop();
      const leftovers = {
        containers: runcList(join(dir, 'rt', 'runc')),
        netns: (await listNetns()).filter((n) => n.startsWith(`mz${id}`)),
        mounts: await mountsUnder(dir),
        processes: (await processesMentioning(dir)).map(String),
        cgroups: await cgroupLeftovers(hostCgroupFs, `/minato-${id}`),
      };
      await rm(dir, { recursive: true, force: true });
      return leftovers;
    },
  };
  return h;
}

/** Polls until a value arrives; the suite's one wait helper, under the name these tests use. */
export { waitFor as eventually } from '../../../../test/support/eventually.ts';

/** A busybox pod spec. */
export function busyboxPod(name: string, command: string[], extra: Partial<NonNullable<Pod['spec']>> = {}): Pod {
  return {
    metadata: { name },
    spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'main', image: BUSYBOX, command }], ...extra },
  };
}

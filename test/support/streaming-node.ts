/**
 * TEST ONLY. One "node" for streaming tests: the real agent HTTPS server (src/node/server) over a
 * ProcessTestRuntime, a Node object pointing at it, and helpers to run pods whose containers are
 * host processes. Pod IPs are 127.0.0.1 (the processes share the host network).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issueLeafCert } from '../../src/apiserver/auth/pki-certs.ts';
import type { ResourceRef } from '../../src/client/resource-ref.ts';
import { startAgentServer, type RunningAgentServer } from '../../src/node/server/agent-server.ts';
import type { PodContainers } from '../../src/node/server/stats-summary.ts';
import { ProcessTestRuntime } from './process-test-runtime.ts';
import type { TestCluster } from './test-cluster.ts';

const NODES: ResourceRef = { group: '', version: 'v1', resource: 'nodes', kind: 'Node', namespaced: false };
const PODS: ResourceRef = { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true };

export interface StreamingNode {
  name: string;
  agent: RunningAgentServer;
  runtime: ProcessTestRuntime;
  /** Structured log lines of the agent server (e.g. `stream session` with verb/transport/protocol). */
  logs: Array<{ msg: string; fields?: Record<string, unknown> }>;
  /** Creates a bound, Running pod whose containers run `commands` (name → argv) as host processes. */
  runPod(namespace: string, name: string, containers: Record<string, string[]>, annotations?: Record<string, string>): Promise<void>;
  stop(): Promise<void>;
}

export async function startStreamingNode(cluster: TestCluster, name = 'stream-node'): Promise<StreamingNode> {
  const dir = await mkdtemp(join(tmpdir(), 'minato-stream-node-'));
  const runtime = new ProcessTestRuntime(dir);
  const pods = new Map<string, PodContainers>();
  const logs: StreamingNode['logs'] = [];
  const pki = cluster.server.pki;
  const serving = await issueLeafCert(pki.ca, { commonName: `system:node:${name}`, usage: 'server', hosts: ['127.0.0.1'], now: new Date(), validDays: 1 });
  const agent = await startAgentServer({
    nodeName: name,
    port: 0,
    host: '127.0.0.1',
    tls: { cert: serving.cert, key: serving.key, ca: pki.ca.cert },
    runtime,
    resolveContainer: (ns, pod, container) => {
      const c = pods.get(`${ns}/${pod}`)?.containers.find((x) => x.name === container);
      return c ? { id: c.id } : undefined;
    },
    podIp: (ns, pod) => (pods.has(`${ns}/${pod}`) ? '127.0.0.1' : undefined),
    runningPods: () => [...pods.values()],
    log: (msg, fields) => logs.push({ msg, fields }),
  });
  await cluster.client.create(NODES, {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name } },
  });
  const node = await cluster.client.get(NODES, undefined, name);
  await cluster.client.updateStatus(NODES, {
    ...node,
    status: {
      addresses: [{ type: 'InternalIP', address: '127.0.0.1' }, { type: 'Hostname', address: name }],
      daemonEndpoints: { kubeletEndpoint: { Port: agent.port } },
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'ready', lastHeartbeatTime: new Date().toISOString(), lastTransitionTime: new Date().toISOString() }],
      capacity: { cpu: '2', memory: '4Gi', pods: '110' },
      allocatable: { cpu: '2', memory: '4Gi', pods: '110' },
    },
  });
  return {
    name,
    agent,
    runtime,
    logs,
    async runPod(namespace, podName, containers, annotations) {
      const created = await cluster.client.create(PODS, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: podName, namespace, labels: { app: podName }, annotations },
        spec: { nodeName: name, containers: Object.keys(containers).map((c) => ({ name: c, image: 'test/process' })) },
      });
      const entry: PodContainers = { namespace, name: podName, uid: created.metadata?.uid ?? '', containers: [] };
      for (const [cname, command] of Object.entries(containers)) {
        const id = `${namespace}_${podName}_${cname}_${Math.random().toString(36).slice(2, 8)}`;
        await runtime.createContainer({ id, podUid: entry.uid, podNamespace: namespace, podName, containerName: cname, rootfs: dir, command });
        await runtime.startContainer(id);
        entry.containers.push({ name: cname, id });
      }
      pods.set(`${namespace}/${podName}`, entry);
      const pod = await cluster.client.get(PODS, namespace, podName);
      await cluster.client.updateStatus(PODS, { ...pod, status: { phase: 'Running', podIP: '127.0.0.1', conditions: [{ type: 'Ready', status: 'True' }] } });
    },
    async stop() {
      await agent.close();
      await runtime.shutdown();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { isNotFound } from '../../src/client/api-error.ts';
import { Informer } from '../../src/client/informer.ts';
import type { KubeClient } from '../../src/client/kube-client.ts';
import { R } from '../../src/client/resource-ref.ts';
import type { ControllerFactory } from '../../src/controllers/controller-context.ts';
import { runControllerManager } from '../../src/controllers/controller-manager.ts';
import { startTestCluster, type TestCluster } from '../support/test-cluster.ts';

/**
 * The test plays kubelet and scheduler: it binds unscheduled pods (to the node a DaemonSet pod's
 * affinity names, else round-robin), marks bound pods Running and Ready after `readyDelayMs`
 * (unless `holdReady` says not to), and finishes graceful deletions as a kubelet would.
 */
export class TestKubelet {
  readyDelayMs = 50;
  /** Pods for which this returns true stay Running but not Ready. */
  holdReady: (pod: Pod) => boolean = () => false;
  private readonly informer: Informer<Pod>;
  private readonly inflight = new Set<string>();
  private nextNode = 0;

  constructor(
    private readonly client: KubeClient,
    private readonly nodes: () => string[],
  ) {
    this.informer = new Informer<Pod>(client, R.pods);
    const handle = (p: Pod) => void this.handle(p).catch(() => undefined);
    this.informer.on({ add: handle, update: (_o, p) => handle(p) });
  }

  run(signal: AbortSignal): Promise<void> {
    return this.informer.run(signal);
  }

  /** Re-examines every pod (after `holdReady` changes). */
  poke(): void {
    for (const p of this.informer.list()) void this.handle(p).catch(() => undefined);
  }

  private async handle(pod: Pod): Promise<void> {
    const key = `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}/${pod.metadata?.resourceVersion ?? ''}`;
    if (this.inflight.has(key)) return;
    this.inflight.add(key);
    try {
      if (pod.metadata?.deletionTimestamp) await this.finishDeletion(pod);
      else if (!pod.spec?.nodeName) await this.bind(pod);
      else if (!this.holdReady(pod) && !isReady(pod)) await this.markReady(pod);
    } finally {
      this.inflight.delete(key);
    }
  }

  private async finishDeletion(pod: Pod): Promise<void> {
    await this.client.delete(R.pods, pod.metadata?.namespace, pod.metadata?.name ?? '', { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata?.uid } }).catch((err: unknown) => {
      if (!isNotFound(err)) throw err;
    });
  }

  private async bind(pod: Pod): Promise<void> {
    const pinned = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms?.[0]?.matchFields?.find((f) => f.key === 'metadata.name')?.values?.[0];
    const nodes = this.nodes();
    const target = pinned ?? nodes[this.nextNode++ % Math.max(1, nodes.length)] ?? 'node-0';
    await this.client.createSubresource(R.pods, pod.metadata?.namespace, pod.metadata?.name ?? '', 'binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name: pod.metadata?.name }, target: { kind: 'Node', name: target } });
  }

  private async markReady(pod: Pod): Promise<void> {
    await new Promise((r) => setTimeout(r, this.readyDelayMs));
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const fresh = await this.client.get<Pod>(R.pods, pod.metadata?.namespace, pod.metadata?.name ?? '');
    if (fresh.metadata?.deletionTimestamp || isReady(fresh) || this.holdReady(fresh)) return;
    const conditions = [
      { type: 'PodScheduled', status: 'True', lastTransitionTime: now },
      { type: 'Initialized', status: 'True', lastTransitionTime: now },
      { type: 'ContainersReady', status: 'True', lastTransitionTime: now },
      { type: 'Ready', status: 'True', lastTransitionTime: now },
    ];
    await this.client.updateStatus(R.pods, { ...fresh, status: { ...fresh.status, phase: 'Running', startTime: fresh.status?.startTime ?? now, conditions } });
  }
}

function isReady(p: Pod): boolean {
  return p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

export interface WorkloadCluster extends TestCluster {
  kubelet: TestKubelet;
  addNode(name: string, extra?: Partial<Node>): Promise<void>;
}

/** A test cluster running the given controllers and a {@link TestKubelet} over `nodeCount` nodes. */
export async function startWorkloadCluster(controllers: Record<string, ControllerFactory>, nodeCount = 3): Promise<WorkloadCluster> {
  const cluster = await startTestCluster();
  const nodeNames: string[] = [];
  const ctl = new AbortController();
  const addNode = async (name: string, extra: Partial<Node> = {}) => {
    await cluster.client.create(R.nodes, { metadata: { name, labels: { 'kubernetes.io/hostname': name, ...(extra.metadata?.labels ?? {}) } }, spec: extra.spec ?? {} });
    nodeNames.push(name);
  };
  for (let i = 0; i < nodeCount; i++) await addNode(`node-${i}`);
  const kubelet = new TestKubelet(cluster.client, () => nodeNames);
  const runs = [kubelet.run(ctl.signal), runControllerManager({ client: cluster.client, controllers, leaderElection: false, log: process.env.WORKLOADS_DEBUG ? (msg, f) => console.error(msg, f) : undefined }, ctl.signal)];
  return {
    ...cluster,
    kubelet,
    addNode,
    async stop() {
      ctl.abort();
      await Promise.allSettled(runs);
      await cluster.stop();
    },
  };
}

/** Polls `read` until `ok` holds (or fails with the last value seen); a failing read (404) just polls on. */
export async function waitFor<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: T | string | undefined;
  for (;;) {
    try {
      const v = await read();
      last = v;
      if (ok(v)) return v;
    } catch (err) {
      last = String(err);
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last).slice(0, 2000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

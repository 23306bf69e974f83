import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../src/api/types.ts';
import type { KubeClient } from '../../src/client/kube-client.ts';
import { R, type ResourceRef } from '../../src/client/resource-ref.ts';
import { runSimulatedNodes, type SimulatedNodesConfig } from '../../src/node/simulated/simulated-nodes.ts';

export const PRIORITY_CLASSES: ResourceRef = { group: 'scheduling.k8s.io', version: 'v1', resource: 'priorityclasses', kind: 'PriorityClass', namespaced: false };

/** Polls until `fn` returns a value (not undefined/false), or fails after `timeoutMs`. */
export async function eventually<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Starts simulated nodes and resolves once they are registered; abort `signal` to stop their heartbeats. */
export async function startSimNodes(cfg: Omit<SimulatedNodesConfig, 'onRegistered'>, signal: AbortSignal): Promise<void> {
  await new Promise<void>((resolve) => void runSimulatedNodes({ ...cfg, onRegistered: resolve }, signal));
}

/** A pod builder that reads like prose: `pod('p').cpu('500m').obj()`. */
export function pod(name: string) {
  const p: { metadata: Record<string, unknown>; spec: Record<string, unknown> } = { metadata: { name, namespace: 'default', labels: {} }, spec: { containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.9', resources: { requests: {} } }] } };
  const container = () => (p.spec.containers as Array<{ resources: { requests: Record<string, string> } }>)[0] as { resources: { requests: Record<string, string> } };
  const b = {
    cpu: (q: string) => ((container().resources.requests.cpu = q), b),
    label: (k: string, v: string) => (((p.metadata.labels as Record<string, string>)[k] = v), b),
    spec: (extra: Record<string, unknown>) => (Object.assign(p.spec, extra), b),
    annotate: (k: string, v: string) => ((p.metadata.annotations = { ...(p.metadata.annotations as object), [k]: v }), b),
    obj: () => p as unknown as KubeObject,
  };
  return b;
}

export const getPod = (client: KubeClient, name: string) => client.get<Pod>(R.pods, 'default', name);
export const getNode = (client: KubeClient, name: string) => client.get<Node>(R.nodes, undefined, name);

export async function boundNode(client: KubeClient, name: string, timeoutMs?: number): Promise<string> {
  return eventually(`pod ${name} bound`, async () => (await getPod(client, name)).spec?.nodeName, timeoutMs);
}

export async function podPhase(client: KubeClient, name: string, phase: string, timeoutMs?: number): Promise<Pod> {
  return eventually(`pod ${name} ${phase}`, async () => {
    const p = await getPod(client, name);
    return p.status?.phase === phase ? p : undefined;
  }, timeoutMs);
}

/** The PodScheduled=False message once the scheduler has given up on the pod for now. */
export async function unschedulableMessage(client: KubeClient, name: string): Promise<string> {
  return eventually(`pod ${name} unschedulable`, async () => {
    const c = (await getPod(client, name)).status?.conditions?.find((x) => x.type === 'PodScheduled');
    return c?.status === 'False' && c.reason === 'Unschedulable' ? (c.message ?? '') : undefined;
  });
}

export async function patchNode(client: KubeClient, name: string, patch: object): Promise<void> {
  await client.patch(R.nodes, undefined, name, 'merge', patch);
}

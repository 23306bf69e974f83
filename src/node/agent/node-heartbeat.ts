/**
 * Registration and heartbeats: creates (or takes over) the Node, renews its Lease in
 * kube-node-lease every 10 s, and refreshes the node status (conditions' heartbeat times) every 10 s.
 */
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type { Node } from 'kubernetes-types/core/v1.js';
import { isAlreadyExists, isConflict, isNotFound } from '../../client/api-error.ts';
import type { Clock } from '../../client/clock.ts';
import type { KubeClient } from '../../client/kube-client.ts';
import { R } from '../../client/resource-ref.ts';
import { nodeConditions } from './node-object.ts';
import type { AgentLog } from './worker-context.ts';

export const NODE_LEASE_NAMESPACE = 'kube-node-lease';
const LEASE_SECONDS = 40;

const microTime = (d: Date): string => d.toISOString().replace('Z', '000Z');

/** Creates the Node, or updates labels, status and podCIDR of an existing one; returns it. */
export async function registerNode(client: KubeClient, desired: Node): Promise<Node> {
  const name = desired.metadata?.name ?? '';
  try {
    return await client.create<Node>(R.nodes, desired);
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
  }
  const current = await client.get<Node>(R.nodes, undefined, name);
  const merged: Node = {
    ...current,
    metadata: { ...current.metadata, labels: { ...current.metadata?.labels, ...desired.metadata?.labels } },
    spec: { ...current.spec, ...(current.spec?.podCIDR ? {} : desired.spec) },
  };
  const updated = await client.update<Node>(R.nodes, merged);
  return client.updateStatus<Node>(R.nodes, { ...updated, status: { ...updated.status, ...desired.status, conditions: nodeConditions(new Date(), updated.status?.conditions) } });
}

async function renewLease(client: KubeClient, node: Node, now: Date): Promise<void> {
  const name = node.metadata?.name ?? '';
  const spec = { holderIdentity: name, leaseDurationSeconds: LEASE_SECONDS, renewTime: microTime(now) };
  try {
    const lease = await client.get<Lease>(R.leases, NODE_LEASE_NAMESPACE, name);
    await client.update(R.leases, { ...lease, spec: { ...lease.spec, ...spec } });
  } catch (err) {
    if (!isNotFound(err)) throw err;
    const owner = node.metadata?.uid ? [{ apiVersion: 'v1', kind: 'Node', name, uid: node.metadata.uid }] : undefined;
    await client.create(R.leases, { metadata: { name, namespace: NODE_LEASE_NAMESPACE, ownerReferences: owner }, spec });
  }
}

async function postStatus(client: KubeClient, name: string, now: Date): Promise<void> {
  const node = await client.get<Node>(R.nodes, undefined, name);
  await client.updateStatus(R.nodes, { ...node, status: { ...node.status, conditions: nodeConditions(now, node.status?.conditions) } });
}

/** Renews the lease and posts status every `periodMs` until `signal` aborts. */
export async function heartbeat(client: KubeClient, node: Node, clock: Clock, log: AgentLog, signal: AbortSignal, periodMs = 10_000): Promise<void> {
  const name = node.metadata?.name ?? '';
  while (!signal.aborted) {
    try {
      await renewLease(client, node, clock.now());
      await postStatus(client, name, clock.now());
    } catch (err) {
      if (!isConflict(err)) log('node heartbeat failed', { node: name, err: String(err) });
    }
    await clock.sleep(periodMs, signal);
  }
}

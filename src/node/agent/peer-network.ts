/**
 * Pod-to-pod traffic across machines: the agent watches the Node list and keeps a route to every other
 * node's pod subnet via that node's InternalIP (upstream leaves this to the network plugin, e.g.
 * flannel's host-gw backend or kube-router; Minato's bridge network needs it from the agent).
 */
import type { Node } from 'kubernetes-types/core/v1.js';
import type { Clock } from '../../client/clock.ts';
import { Informer } from '../../client/informer.ts';
import type { KubeClient } from '../../client/kube-client.ts';
import { R } from '../../client/resource-ref.ts';
import type { PeerNode } from '../network/cni/peer-routes.ts';
import type { AgentLog } from './worker-context.ts';

/** What routes peers' pod subnets (PeerRoutes); sync must tolerate being called with the same list again. */
export interface PeerRouting {
  sync(peers: readonly PeerNode[]): Promise<unknown>;
}

/** Configuration of {@link runPeerNetwork}. */
export interface PeerNetworkConfig {
  client: KubeClient;
  /** This node: it gets no route to itself. */
  nodeName: string;
  routes: PeerRouting;
  clock: Clock;
  log: AgentLog;
  /** A failed sync is retried after this long, on the next Node event or informer resync; default 30 s. */
  retryMs?: number;
}

/** The other nodes with a pod subnet and an InternalIP, sorted so equal lists compare equal. */
export function peersOf(nodes: readonly Node[], self: string): PeerNode[] {
  const peers: PeerNode[] = [];
  for (const n of nodes) {
    const podCidr = n.spec?.podCIDR;
    const nodeIP = n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
    if (n.metadata?.name === self || !podCidr || !nodeIP) continue;
    peers.push({ podCidr, nodeIP });
  }
  return peers.sort((a, b) => a.podCidr.localeCompare(b.podCidr) || a.nodeIP.localeCompare(b.nodeIP));
}

/**
 * Runs until `signal` aborts. Routes are synced only when the peer list changes (Node heartbeats do
 * not touch the kernel), one sync at a time; routes stay when the agent stops, since pods keep running.
 */
export async function runPeerNetwork(cfg: PeerNetworkConfig, signal: AbortSignal): Promise<void> {
  const retryMs = cfg.retryMs ?? 30_000;
  const informer = new Informer<Node>(cfg.client, R.nodes, {
    clock: cfg.clock,
    resyncMs: retryMs,
    onError: (err) => cfg.log('node watch failed', { err: String(err) }),
  });
  let applied = '';
  let failedAt: number | undefined;
  let chain = Promise.resolve();
  let queued = false;
  // Bursts of Node events (a resync delivers every node) coalesce into one pass over the list.
  const schedule = (): void => {
    if (queued) return;
    queued = true;
    chain = chain.then(async () => {
      queued = false;
      if (signal.aborted || !informer.hasSynced()) return;
      const peers = peersOf(informer.list(), cfg.nodeName);
      const key = JSON.stringify(peers);
      // A failed list is retried on a timer, not on every Node event: with many unroutable peers
      // (simulated nodes) each heartbeat would otherwise cost a round of `ip` calls.
      const retryDue = failedAt !== undefined && cfg.clock.now().getTime() - failedAt >= retryMs;
      if (key === applied && !retryDue) return;
      applied = key;
      try {
        await cfg.routes.sync(peers);
        failedAt = undefined;
        cfg.log('peer routes synced', { peers: peers.length });
      } catch (err) {
        failedAt = cfg.clock.now().getTime();
        cfg.log('peer routes sync failed', { err: String(err) });
      }
    });
  };
  informer.on({ add: schedule, update: schedule, delete: schedule });
  // Handlers skip until the first list is complete (a partial list would drop routes), then one sync.
  void informer.waitForSync().then(schedule);
  await informer.run(signal);
  await chain;
}

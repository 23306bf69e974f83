import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { realClock, type Clock } from '../../client/clock.ts';
import type { KubeClient } from '../../client/kube-client.ts';
import { R } from '../../client/resource-ref.ts';
import { SharedInformers } from '../../client/shared-informers.ts';
import { NodeFleet } from './node-fleet.ts';
import { DEFAULT_SHAPE, type NodeShape } from './node-template.ts';
import { PodDriver, type PodTimings } from './pod-driver.ts';
import { WritePool } from './write-pool.ts';

export interface SimulatedNodesConfig {
  client: KubeClient;
  count: number;
  /** Node names are `<namePrefix><index>` (default `sim-node-`). */
  namePrefix?: string;
  /** Zone names, assigned round-robin (default one zone, `zone-a`). */
  zones?: string[];
  shape?: Partial<NodeShape>;
  clock?: Clock;
  log?: (msg: string, fields: Record<string, unknown>) => void;
  heartbeatIntervalMs?: number;
  leaseDurationSeconds?: number;
  timings?: Partial<PodTimings>;
  /** API writes in flight at once (default 64). */
  concurrency?: number;
  /** Called once every Node and Lease is written. */
  onRegistered?: () => void;
}

/** `zone-a`, `zone-b`, … for a count, or the given comma-separated names. */
export function zoneNames(spec: string | number | undefined): string[] {
  if (spec === undefined || spec === '') return ['zone-a'];
  const n = Number(spec);
  if (Number.isInteger(n) && n > 0) return Array.from({ length: n }, (_, i) => `zone-${String.fromCharCode(97 + (i % 26))}${i >= 26 ? Math.floor(i / 26) : ''}`);
  return String(spec)
    .split(',')
    .map((z) => z.trim())
    .filter(Boolean);
}

const TICK_MS = 50;

/**
 * Simulated nodes (kwok-style, for controller tests and scale runs; never a stand-in for real
 * containers): registers `count` Nodes, heartbeats their Leases, and drives the pods bound to them
 * through a kubelet's phases. One pod informer, one ticker, one write pipeline for all nodes.
 * Resolves when `signal` aborts; the Nodes stay, as they do when a kubelet stops.
 */
export async function runSimulatedNodes(cfg: SimulatedNodesConfig, signal: AbortSignal): Promise<void> {
  const clock = cfg.clock ?? realClock;
  const log = cfg.log ?? (() => undefined);
  const pool = new WritePool(cfg.concurrency ?? 64, (err) => log('simulated node write failed', { err: String(err) }));
  const prefix = cfg.namePrefix ?? 'sim-node-';
  const names = Array.from({ length: cfg.count }, (_, i) => `${prefix}${i}`);
  const fleet = new NodeFleet({
    client: cfg.client,
    clock,
    pool,
    names,
    zones: cfg.zones?.length ? cfg.zones : ['zone-a'],
    shape: { ...DEFAULT_SHAPE, ...cfg.shape },
    heartbeatIntervalMs: cfg.heartbeatIntervalMs ?? 10_000,
    leaseDurationSeconds: cfg.leaseDurationSeconds ?? 40,
  });
  const informers = new SharedInformers(cfg.client, { clock, onError: (err) => log('informer error', { err: String(err) }) });
  const pods = informers.for<Pod>(R.pods);
  const timings: PodTimings = { startDelayMs: 200, runDurationMs: 1000, deleteDelayMs: 100, ...cfg.timings };
  const driver = new PodDriver({ client: cfg.client, clock, pool, fleet, pods, timings });
  pods.on({ add: (p) => driver.onPod(p), update: (_o, p) => driver.onPod(p), delete: (p) => driver.onPodDeleted(p) });
  informers.for<Node>(R.nodes).on({ update: (_o, n) => fleet.onNode(n) });

  await fleet.register();
  if (signal.aborted) return;
  log('simulated nodes registered', { count: cfg.count, prefix });
  cfg.onRegistered?.();
  informers.start(signal);
  let last = clock.now().getTime();
  while (!signal.aborted) {
    await clock.sleep(TICK_MS, signal);
    const now = clock.now().getTime();
    fleet.heartbeat(now - last);
    last = now;
    driver.tick();
  }
}

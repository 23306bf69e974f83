import { setMaxListeners } from 'node:events';
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import { isAlreadyExists, isConflict, isNotFound } from '../client/api-error.ts';
import { realClock, type Clock } from '../client/clock.ts';
import type { KubeClient } from '../client/kube-client.ts';
import { R } from '../client/resource-ref.ts';

export interface LeaderElectionConfig {
  client: KubeClient;
  /** Lease name, e.g. `kube-controller-manager`. */
  name: string;
  namespace?: string;
  identity: string;
  leaseDurationMs?: number;
  renewIntervalMs?: number;
  clock?: Clock;
  log?: (msg: string, fields: Record<string, unknown>) => void;
}

function microTime(d: Date): string {
  return d.toISOString().replace('Z', '000Z');
}

/**
 * Runs `lead` only while this process holds the Lease, so two control planes never act at once.
 * Tries to acquire; once leading, renews; if renewal fails past the lease duration, aborts `lead`'s
 * signal and goes back to trying. Resolves when `signal` aborts.
 */
export async function runWithLeaderElection(cfg: LeaderElectionConfig, signal: AbortSignal, lead: (signal: AbortSignal) => Promise<void>): Promise<void> {
  const clock = cfg.clock ?? realClock;
  const duration = cfg.leaseDurationMs ?? 15_000;
  const renew = cfg.renewIntervalMs ?? 2_000;
  const log = cfg.log ?? (() => undefined);
  while (!signal.aborted) {
    if (!(await tryAcquireOrRenew(cfg, clock, duration).catch(() => false))) {
      await clock.sleep(renew, signal);
      continue;
    }
    log('became leader', { lease: cfg.name, identity: cfg.identity });
    const leading = new AbortController();
    setMaxListeners(0, leading.signal); // every controller, informer and watch of the leader listens
    const onAbort = () => leading.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    const work = lead(leading.signal).catch((err: unknown) => log('leader work failed', { err: String(err) }));
    let lastRenew = clock.now().getTime();
    while (!leading.signal.aborted) {
      await clock.sleep(renew, leading.signal);
      if (leading.signal.aborted) break;
      const ok = await tryAcquireOrRenew(cfg, clock, duration).catch(() => false);
      if (ok) lastRenew = clock.now().getTime();
      else if (clock.now().getTime() - lastRenew > duration) {
        log('lost leadership', { lease: cfg.name, identity: cfg.identity });
        leading.abort();
      }
    }
    signal.removeEventListener('abort', onAbort);
    await work;
  }
}

/** One attempt: create the Lease, take it over if expired, or renew it if ours. */
async function tryAcquireOrRenew(cfg: LeaderElectionConfig, clock: Clock, durationMs: number): Promise<boolean> {
  const ns = cfg.namespace ?? 'kube-system';
  const now = clock.now();
  const spec = { holderIdentity: cfg.identity, leaseDurationSeconds: Math.ceil(durationMs / 1000), renewTime: microTime(now) };
  let lease: Lease;
  try {
    lease = await cfg.client.get<Lease>(R.leases, ns, cfg.name);
  } catch (err) {
    if (!isNotFound(err)) throw err;
    try {
      await cfg.client.create(R.leases, { metadata: { name: cfg.name, namespace: ns }, spec: { ...spec, acquireTime: microTime(now), leaseTransitions: 0 } });
      return true;
    } catch (e) {
      if (isAlreadyExists(e)) return false;
      throw e;
    }
  }
  const holder = lease.spec?.holderIdentity;
  const renewed = lease.spec?.renewTime ? Date.parse(lease.spec.renewTime) : 0;
  const expired = renewed + (lease.spec?.leaseDurationSeconds ?? 0) * 1000 < now.getTime();
  if (holder && holder !== cfg.identity && !expired) return false;
  const takeover = holder !== cfg.identity;
  const next = {
    ...lease,
    spec: {
      ...lease.spec,
      ...spec,
      ...(takeover ? { acquireTime: microTime(now), leaseTransitions: (lease.spec?.leaseTransitions ?? 0) + 1 } : {}),
    },
  };
  try {
    await cfg.client.update(R.leases, next as never);
    return true;
  } catch (err) {
    if (isConflict(err)) return false;
    throw err;
  }
}

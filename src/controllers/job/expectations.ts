import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Clock } from '../../client/clock.ts';
import type { Lister } from '../../client/informer.ts';

/** After this long, expectations lapse (a missed watch event must not wedge a Job forever). */
const EXPECTATIONS_TTL_MS = 5 * 60_000;

interface Pending {
  creates: Set<string>;
  deletes: Set<string>;
  since: number;
}

/**
 * Pod writes a controller made and has not yet seen in its cache (client-go's
 * ControllerExpectations). Until they show up, acting again on the stale cache would create or
 * delete pods twice.
 */
export class PodExpectations {
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly clock: Clock) {}

  expectCreate(key: string, podKey: string): void {
    this.entry(key).creates.add(podKey);
  }

  expectDelete(key: string, podKey: string): void {
    this.entry(key).deletes.add(podKey);
  }

  /** True when every expected write is visible in `pods` (or the expectations expired). */
  satisfied(key: string, pods: Lister<Pod>): boolean {
    const p = this.pending.get(key);
    if (!p) return true;
    for (const k of p.creates) if (pods.get(k)) p.creates.delete(k);
    for (const k of p.deletes) if (!pods.get(k) || pods.get(k)?.metadata?.deletionTimestamp) p.deletes.delete(k);
    const done = (p.creates.size === 0 && p.deletes.size === 0) || this.clock.now().getTime() - p.since > EXPECTATIONS_TTL_MS;
    if (done) this.pending.delete(key);
    return done;
  }

  forget(key: string): void {
    this.pending.delete(key);
  }

  private entry(key: string): Pending {
    let p = this.pending.get(key);
    if (!p) this.pending.set(key, (p = { creates: new Set(), deletes: new Set(), since: this.clock.now().getTime() }));
    return p;
  }
}

import type { Clock } from '../../client/clock.ts';

interface Pending {
  creates: Set<string>;
  deletes: Set<string>;
  since: number;
}

/**
 * Upstream's ControllerExpectations, keyed by object name instead of counts: after a controller
 * creates or deletes objects, its informer cache lags behind; until the cache shows those
 * writes, a reconcile must not act on the stale view (it would create or delete again).
 * Expectations older than `ttlMs` are dropped so a lost event cannot wedge a controller.
 */
export class Expectations {
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs = 5 * 60_000,
  ) {}

  expectCreations(key: string, names: string[]): void {
    for (const n of names) this.entry(key).creates.add(n);
  }

  expectDeletions(key: string, names: string[]): void {
    for (const n of names) this.entry(key).deletes.add(n);
  }

  /**
   * True once every expected creation is visible (`seen`) and every expected deletion is
   * (`gone`); prunes what was observed.
   */
  satisfied(key: string, seen: (name: string) => boolean, gone: (name: string) => boolean): boolean {
    const p = this.pending.get(key);
    if (!p) return true;
    for (const n of p.creates) if (seen(n)) p.creates.delete(n);
    for (const n of p.deletes) if (gone(n)) p.deletes.delete(n);
    const expired = this.clock.now().getTime() - p.since > this.ttlMs;
    if ((p.creates.size === 0 && p.deletes.size === 0) || expired) {
      this.pending.delete(key);
      return true;
    }
    return false;
  }

  /** Forgets a creation that failed, or everything about a deleted owner. */
  lower(key: string, name?: string): void {
    if (name === undefined) this.pending.delete(key);
    else this.pending.get(key)?.creates.delete(name);
  }

  private entry(key: string): Pending {
    let p = this.pending.get(key);
    if (!p) this.pending.set(key, (p = { creates: new Set(), deletes: new Set(), since: this.clock.now().getTime() }));
    return p;
  }
}

import { cidrContains, cidrSize, formatIpv4, parseCidr, parseIpv4, type Ipv4Cidr } from '../ipv4.ts';

/** Configuration of {@link LoadBalancerAllocator}. */
export interface LoadBalancerAllocatorConfig {
  /** Pool to hand out from; the default 127.240.0.0/16 is reachable from the host without any route (127/8 is local). */
  pool?: string;
  /**
   * Addresses already in `status.loadBalancer.ingress`, by service key (`namespace/name`). Passing them
   * back after a restart keeps every Service on its address; entries outside the pool or duplicated are ignored.
   */
  assigned?: Record<string, string>;
}

/** Hands out LoadBalancer ingress addresses from a pool, one per Service, lowest free address first. */
export class LoadBalancerAllocator {
  private readonly pool: Ipv4Cidr;
  private readonly byKey = new Map<string, number>();
  private readonly used = new Set<number>();

  constructor(config: LoadBalancerAllocatorConfig = {}) {
    this.pool = parseCidr(config.pool ?? '127.240.0.0/16');
    if (this.pool.bits > 30) throw new Error(`pool ${config.pool} is too small`);
    // On a conflict the first claim wins (callers pass Services oldest first).
    for (const [key, ip] of Object.entries(config.assigned ?? {})) {
      let n: number;
      try {
        n = parseIpv4(ip);
      } catch {
        continue;
      }
      if (!this.usable(n) || this.used.has(n) || this.byKey.has(key)) continue;
      this.byKey.set(key, n);
      this.used.add(n);
    }
  }

  /** The Service's address: its existing one, or the lowest free one. Throws when the pool is exhausted. */
  allocate(serviceKey: string): string {
    const existing = this.byKey.get(serviceKey);
    if (existing !== undefined) return formatIpv4(existing);
    for (let n = this.pool.base + 1; n < this.pool.base + cidrSize(this.pool) - 1; n++) {
      if (this.used.has(n)) continue;
      this.byKey.set(serviceKey, n);
      this.used.add(n);
      return formatIpv4(n);
    }
    throw new Error(`load balancer pool exhausted (${this.used.size} addresses in use)`);
  }

  /** Returns the Service's address to the pool (no-op when it had none). */
  release(serviceKey: string): void {
    const n = this.byKey.get(serviceKey);
    if (n === undefined) return;
    this.byKey.delete(serviceKey);
    this.used.delete(n);
  }

  /** Current assignments, by service key. */
  assignments(): Record<string, string> {
    return Object.fromEntries([...this.byKey].map(([k, n]) => [k, formatIpv4(n)]));
  }

  /** Network and last address are never handed out, as in an ordinary subnet. */
  private usable(n: number): boolean {
    return cidrContains(this.pool, n) && n !== this.pool.base && n !== this.pool.base + cidrSize(this.pool) - 1;
  }
}

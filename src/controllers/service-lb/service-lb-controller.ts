/**
 * The service load balancer controller (`servicelb`): every Service of `type: LoadBalancer` gets an
 * address from a local pool (default 127.240.0.0/16, reachable from the host only) written to
 * `status.loadBalancer.ingress[0].ip`; the node agents' service proxies DNAT that address to the
 * Service's endpoints. The address goes back to the pool when the Service is deleted or changes type.
 */
import type { Service } from 'kubernetes-types/core/v1.js';
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../../api/types.ts';
import { isNotFound } from '../../client/api-error.ts';
import { R } from '../../client/resource-ref.ts';
import type { Reconciler, Request } from '../../controller/reconciler.ts';
import { LoadBalancerAllocator } from '../../node/network/proxy/lb-allocator.ts';
import type { ControllerConfig } from '../../controller/reconciler.ts';
import type { ControllerContext } from '../controller-context.ts';

type Obj<T> = T & KubeObject;

/** Options of {@link createServiceLbController}. */
export interface ServiceLbOptions {
  /** Default 127.240.0.0/16. */
  pool?: string;
}

/** Services this controller serves: LoadBalancers without a `loadBalancerClass` (another implementation's). */
export function wantsAddress(svc: Service | undefined): boolean {
  return svc?.spec?.type === 'LoadBalancer' && !svc.spec.loadBalancerClass && !svc.metadata?.deletionTimestamp;
}

/** Assigns and releases LoadBalancer ingress addresses. */
export class ServiceLbReconciler implements Reconciler {
  private allocator: LoadBalancerAllocator | undefined;

  constructor(private readonly ctx: ControllerContext, private readonly options: ServiceLbOptions = {}) {}

  async reconcile(req: Request): Promise<void> {
    const key = `${req.namespace ?? ''}/${req.name}`;
    const services = this.ctx.informers.for<Obj<Service>>(R.services);
    const allocator = this.allocatorFrom(services.list());
    const svc = services.get(key);
    if (!wantsAddress(svc)) {
      const had = allocator.assignments()[key];
      allocator.release(key);
      // A Service that stopped being a LoadBalancer keeps no stale address in its status.
      if (svc && had && svc.status?.loadBalancer?.ingress?.some((i) => i.ip === had)) await this.writeIngress(svc, []);
      return;
    }
    const ip = allocator.allocate(key);
    if (isDeepStrictEqual(svc?.status?.loadBalancer?.ingress ?? [], [{ ip }])) return;
    if (svc) await this.writeIngress(svc, [{ ip }]);
  }

  /**
   * Built on first use from the addresses Services already carry (oldest first, so an older Service
   * wins a conflict): a restarted controller keeps every Service on its address.
   */
  private allocatorFrom(all: Array<Obj<Service>>): LoadBalancerAllocator {
    if (this.allocator) return this.allocator;
    const assigned: Record<string, string> = {};
    const oldestFirst = all.filter(wantsAddress).sort((a, b) => (a.metadata?.creationTimestamp ?? '').localeCompare(b.metadata?.creationTimestamp ?? ''));
    for (const s of oldestFirst) {
      const ip = s.status?.loadBalancer?.ingress?.[0]?.ip;
      if (ip) assigned[`${s.metadata?.namespace ?? ''}/${s.metadata?.name ?? ''}`] = ip;
    }
    this.allocator = new LoadBalancerAllocator({ pool: this.options.pool, assigned });
    return this.allocator;
  }

  private async writeIngress(svc: Obj<Service>, ingress: Array<{ ip: string }>): Promise<void> {
    const next: Obj<Service> = { ...structuredClone(svc), status: { ...structuredClone(svc.status ?? {}), loadBalancer: ingress.length ? { ingress } : {} } };
    // A conflict is thrown and retried by the runtime with the newer object from the cache.
    await this.ctx.client.updateStatus(R.services, next).catch((err: unknown) => {
      if (!isNotFound(err)) throw err;
    });
  }
}

/** The controller; registered as `servicelb`. */
export function createServiceLbController(ctx: ControllerContext, options: ServiceLbOptions = {}): ControllerConfig {
  return {
    name: 'servicelb',
    reconciler: new ServiceLbReconciler(ctx, options),
    watches: [{ informer: ctx.informers.for<Obj<Service>>(R.services), toRequests: (s: Obj<Service>) => [{ namespace: s.metadata?.namespace, name: s.metadata?.name ?? '' }] }],
  };
}

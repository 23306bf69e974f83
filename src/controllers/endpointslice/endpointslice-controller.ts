import type { KubeObject } from '../../api/types.ts';
import { isDeepStrictEqual } from 'node:util';
import type { Pod, Service } from 'kubernetes-types/core/v1.js';
import type { Endpoint, EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { isNotFound } from '../../client/api-error.ts';
import { R } from '../../client/resource-ref.ts';
import type { Reconciler, Request } from '../../controller/reconciler.ts';
import type { ControllerContext, ControllerFactory } from '../controller-context.ts';
import { selects, servicesForPod } from '../endpoints/pod-endpoints.ts';
import { chunk, MANAGED_BY, MANAGED_BY_LABEL, MAX_ENDPOINTS_PER_SLICE, planGroups, SERVICE_NAME_LABEL, sliceKey, sliceLabels, type EndpointGroup } from './slice-plan.ts';

/** A kubernetes-types object as the informers hold it. */
type Obj<T> = T & KubeObject;

const PENDING_TTL_MS = 30_000;

/** Options for the EndpointSlice controller. */
export interface EndpointSliceOptions {
  /** Endpoints per slice (upstream `--max-endpoints-per-slice`, default 100). */
  maxEndpointsPerSlice?: number;
}

/**
 * Keeps a selector-bearing Service's EndpointSlices in step with its pods: endpoints grouped by
 * address type and port set, at most `maxEndpointsPerSlice` per slice, each slice owned by the
 * Service (the garbage collector removes them with it). An empty placeholder slice stands in when
 * nothing is selected, as upstream does.
 */
export class EndpointSliceReconciler implements Reconciler {
  private readonly max: number;
  /** Slices created but not yet in the cache, per Service: acting before they show would duplicate them. */
  private readonly pendingCreates = new Map<string, Map<string, number>>();

  constructor(
    private readonly ctx: ControllerContext,
    opts: EndpointSliceOptions = {},
  ) {
    this.max = opts.maxEndpointsPerSlice ?? MAX_ENDPOINTS_PER_SLICE;
  }

  async reconcile(req: Request): Promise<void> {
    const ns = req.namespace ?? '';
    const service = this.ctx.informers.for<Obj<Service>>(R.services).get(`${ns}/${req.name}`);
    if (!this.createsObserved(`${ns}/${req.name}`)) return;
    if (!service || service.metadata?.deletionTimestamp) return;
    if (!service.spec?.selector || Object.keys(service.spec.selector).length === 0) return;
    const pods = this.ctx.informers.for<Obj<Pod>>(R.pods).byNamespace(ns).filter((p) => selects(service, p));
    const groups = planGroups(service, pods);
    if (groups.length === 0) groups.push({ key: '', addressType: 'IPv4', ports: [], endpoints: [] });
    const existing = this.ctx.informers
      .for<Obj<EndpointSlice>>(R.endpointslices)
      .byNamespace(ns)
      .filter((s) => s.metadata?.labels?.[SERVICE_NAME_LABEL] === req.name && s.metadata.labels[MANAGED_BY_LABEL] === MANAGED_BY)
      .sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
    const unused = new Set(existing);
    for (const group of groups) {
      const reusable = existing.filter((s) => unused.has(s) && (group.key === '' ? (s.endpoints ?? []).length === 0 && (s.ports ?? []).length === 0 : sliceKey(s) === group.key));
      for (const endpoints of chunk(group.endpoints, this.max)) {
        const slice = reusable.shift();
        if (slice) unused.delete(slice);
        await this.write(service, group, endpoints, slice);
      }
    }
    for (const slice of unused) await this.ctx.client.delete(R.endpointslices, ns, slice.metadata?.name ?? '').catch(ignoreNotFound);
  }

  /** True once every slice this controller created for the Service is in the cache (its add event requeues us). */
  private createsObserved(serviceKey: string): boolean {
    const pending = this.pendingCreates.get(serviceKey);
    if (!pending) return true;
    const cache = this.ctx.informers.for<Obj<EndpointSlice>>(R.endpointslices);
    const now = this.ctx.clock.now().getTime();
    // Seen, or lapsed (a slice deleted before our cache ever saw it must not wedge the Service).
    for (const [k, at] of pending) if (cache.get(k) || now - at > PENDING_TTL_MS) pending.delete(k);
    if (pending.size === 0) this.pendingCreates.delete(serviceKey);
    return pending.size === 0;
  }

  private async write(service: Service, group: EndpointGroup, endpoints: Endpoint[], current: EndpointSlice | undefined): Promise<void> {
    const labels = sliceLabels(service);
    const ownerReferences = [{ apiVersion: 'v1', kind: 'Service', name: service.metadata?.name ?? '', uid: service.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true }];
    const body = { addressType: group.addressType, endpoints, ports: group.ports };
    if (!current) {
      const metadata = { generateName: `${service.metadata?.name ?? ''}-`, namespace: service.metadata?.namespace, labels, ownerReferences };
      const created = await this.ctx.client.create<EndpointSlice>(R.endpointslices, { metadata, ...body });
      const key = `${service.metadata?.namespace ?? ''}/${service.metadata?.name ?? ''}`;
      const pending = this.pendingCreates.get(key) ?? new Map<string, number>();
      pending.set(`${created.metadata?.namespace ?? ''}/${created.metadata?.name ?? ''}`, this.ctx.clock.now().getTime());
      this.pendingCreates.set(key, pending);
      return;
    }
    const unchanged =
      isDeepStrictEqual(current.endpoints ?? [], endpoints) &&
      isDeepStrictEqual(current.ports ?? [], group.ports) &&
      isDeepStrictEqual(current.metadata?.labels ?? {}, labels) &&
      isDeepStrictEqual(current.metadata?.ownerReferences ?? [], ownerReferences);
    if (unchanged) return;
    const next = structuredClone(current) as EndpointSlice & { metadata: object };
    await this.ctx.client.update(R.endpointslices, { ...next, ...body, metadata: { ...next.metadata, labels, ownerReferences } });
  }
}

function ignoreNotFound(err: unknown): void {
  if (!isNotFound(err)) throw err;
}

/** Factory registered as `endpointslice`. */
export const createEndpointSliceController: ControllerFactory = (ctx) => {
  const services = ctx.informers.for<Obj<Service>>(R.services);
  const self = (obj: { metadata?: { namespace?: string; name?: string } }) => [{ namespace: obj.metadata?.namespace, name: obj.metadata?.name ?? '' }];
  return {
    name: 'endpointslice',
    reconciler: new EndpointSliceReconciler(ctx),
    watches: [
      { informer: services, toRequests: self },
      { informer: ctx.informers.for<Obj<Pod>>(R.pods), toRequests: (pod) => servicesForPod(services.byNamespace(pod.metadata?.namespace ?? '')).flatMap(self) },
      {
        informer: ctx.informers.for<Obj<EndpointSlice>>(R.endpointslices),
        toRequests: (s) => {
          const name = s.metadata?.labels?.[SERVICE_NAME_LABEL];
          return name && s.metadata?.labels?.[MANAGED_BY_LABEL] === MANAGED_BY ? [{ namespace: s.metadata.namespace, name }] : [];
        },
      },
    ],
  };
};

import type { KubeObject } from '../../api/types.ts';
import { isDeepStrictEqual } from 'node:util';
import type { EndpointAddress, EndpointPort, EndpointSubset, Endpoints, Pod, Service } from 'kubernetes-types/core/v1.js';
import { isAlreadyExists, isNotFound } from '../../client/api-error.ts';
import { R } from '../../client/resource-ref.ts';
import type { Reconciler, Request } from '../../controller/reconciler.ts';
import type { ControllerContext, ControllerFactory } from '../controller-context.ts';
import { isPodReady, isPodTerminal, podHostname, podIp, podTargetRef, resolveTargetPort, selects, servicesForPod } from './pod-endpoints.ts';

/** A kubernetes-types object as the informers hold it. */
type Obj<T> = T & KubeObject;

/** Label upstream puts on Endpoints (and slices) of headless Services. */
export const HEADLESS_LABEL = 'service.kubernetes.io/headless';

/**
 * Keeps one Endpoints object per selector-bearing Service: ready pods under `addresses`, others under
 * `notReadyAddresses` (all under `addresses` with `publishNotReadyAddresses`), grouped into subsets
 * by their resolved port sets. Services without a selector keep hand-written Endpoints.
 */
export class EndpointsReconciler implements Reconciler {
  constructor(private readonly ctx: ControllerContext) {}

  async reconcile(req: Request): Promise<void> {
    const service = this.ctx.informers.for<Obj<Service>>(R.services).get(`${req.namespace ?? ''}/${req.name}`);
    const current = this.ctx.informers.for<Obj<Endpoints>>(R.endpoints).get(`${req.namespace ?? ''}/${req.name}`);
    if (!service) {
      if (current) await this.ctx.client.delete(R.endpoints, req.namespace, req.name).catch(ignoreNotFound);
      return;
    }
    if (!service.spec?.selector || Object.keys(service.spec.selector).length === 0) return;
    const pods = this.ctx.informers.for<Obj<Pod>>(R.pods).byNamespace(req.namespace ?? '').filter((p) => selects(service, p));
    const desired = desiredEndpoints(service, pods);
    if (!current) {
      await this.ctx.client.create(R.endpoints, desired).catch((err: unknown) => {
        if (!isAlreadyExists(err)) throw err;
      });
      return;
    }
    if (isDeepStrictEqual(current.subsets ?? [], desired.subsets ?? []) && isDeepStrictEqual(current.metadata?.labels ?? {}, desired.metadata?.labels ?? {})) return;
    const next: Obj<Endpoints> = { ...structuredClone(current), subsets: desired.subsets, metadata: { ...structuredClone(current.metadata), labels: desired.metadata?.labels } };
    if (!next.subsets) delete next.subsets;
    await this.ctx.client.update(R.endpoints, next);
  }
}

function ignoreNotFound(err: unknown): void {
  if (!isNotFound(err)) throw err;
}

/** The Endpoints object a Service and its selected pods call for. */
export function desiredEndpoints(service: Service, pods: Pod[]): Obj<Endpoints> {
  const headless = service.spec?.clusterIP === 'None';
  const labels: Record<string, string> = { ...(service.metadata?.labels ?? {}) };
  if (headless) labels[HEADLESS_LABEL] = '';
  const publishNotReady = service.spec?.publishNotReadyAddresses === true;
  const perPod: EndpointSubset[] = [];
  for (const pod of pods) {
    const subset = podSubset(service, pod, publishNotReady, headless);
    if (subset) perPod.push(subset);
  }
  const subsets = repack(perPod);
  return {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: service.metadata?.name, namespace: service.metadata?.namespace, labels },
    ...(subsets.length ? { subsets } : {}),
  };
}

function podSubset(service: Service, pod: Pod, publishNotReady: boolean, headless: boolean): EndpointSubset | undefined {
  const ip = podIp(pod);
  if (!ip || isPodTerminal(pod)) return undefined;
  // Terminating pods leave Endpoints at once unless the Service publishes not-ready addresses.
  if (pod.metadata?.deletionTimestamp && !publishNotReady) return undefined;
  const address: EndpointAddress = { ip, ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}), targetRef: podTargetRef(pod) };
  const hostname = podHostname(pod, service);
  if (hostname) address.hostname = hostname;
  const ports: EndpointPort[] = [];
  for (const sp of service.spec?.ports ?? []) {
    const port = resolveTargetPort(pod, sp);
    if (port === undefined) continue;
    ports.push({ ...(sp.name ? { name: sp.name } : {}), port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
  }
  if (ports.length === 0 && !(headless && (service.spec?.ports ?? []).length === 0)) return undefined;
  const ready = publishNotReady || isPodReady(pod);
  return { ...(ready ? { addresses: [address] } : { notReadyAddresses: [address] }), ...(ports.length ? { ports } : {}) };
}

const byIp = (a: EndpointAddress, b: EndpointAddress) => a.ip.localeCompare(b.ip, 'en', { numeric: true });

/** Merges subsets with identical port sets (upstream `RepackSubsets`), in a stable order. */
function repack(subsets: EndpointSubset[]): EndpointSubset[] {
  const groups = new Map<string, EndpointSubset>();
  for (const s of subsets) {
    const ports = [...(s.ports ?? [])].sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '') || a.port - b.port);
    const key = JSON.stringify(ports);
    const group = groups.get(key) ?? { ports };
    group.addresses = [...(group.addresses ?? []), ...(s.addresses ?? [])];
    group.notReadyAddresses = [...(group.notReadyAddresses ?? []), ...(s.notReadyAddresses ?? [])];
    groups.set(key, group);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([, g]) => ({
      ...(g.addresses?.length ? { addresses: g.addresses.sort(byIp) } : {}),
      ...(g.notReadyAddresses?.length ? { notReadyAddresses: g.notReadyAddresses.sort(byIp) } : {}),
      ...(g.ports?.length ? { ports: g.ports } : {}),
    }));
}

/** Factory registered as `endpoints`. */
export const createEndpointsController: ControllerFactory = (ctx) => {
  const services = ctx.informers.for<Obj<Service>>(R.services);
  return {
    name: 'endpoints',
    reconciler: new EndpointsReconciler(ctx),
    watches: [
      { informer: services, toRequests: selfOf },
      { informer: ctx.informers.for<Obj<Endpoints>>(R.endpoints), toRequests: selfOf },
      { informer: ctx.informers.for<Obj<Pod>>(R.pods), toRequests: (pod) => servicesForPod(services.byNamespace(pod.metadata?.namespace ?? '')).flatMap(selfOf) },
    ],
  };
};

function selfOf(obj: { metadata?: { namespace?: string; name?: string } }): Request[] {
  return [{ namespace: obj.metadata?.namespace, name: obj.metadata?.name ?? '' }];
}

import type { Pod, Service } from 'kubernetes-types/core/v1.js';
import type { Endpoint, EndpointPort, EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { isPodReady, isPodTerminal, podHostname, podIp, podTargetRef, resolveTargetPort } from '../endpoints/pod-endpoints.ts';

/** Label naming the Service a slice belongs to. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
/** Label naming the controller that manages a slice. */
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
/** Our value of MANAGED_BY_LABEL, as upstream's controller writes it. */
export const MANAGED_BY = 'endpointslice-controller.k8s.io';
/** Upstream's default `--max-endpoints-per-slice`. */
export const MAX_ENDPOINTS_PER_SLICE = 100;

type AddressType = 'IPv4' | 'IPv6';

/** Endpoints sharing an address type and port set: they may share slices. */
export interface EndpointGroup {
  key: string;
  addressType: AddressType;
  ports: EndpointPort[];
  endpoints: Endpoint[];
}

/** Groups the selected pods' endpoints by address type and resolved ports, sorted for stable slices. */
export function planGroups(service: Service, pods: Pod[]): EndpointGroup[] {
  const groups = new Map<string, EndpointGroup>();
  const publishNotReady = service.spec?.publishNotReadyAddresses === true;
  for (const pod of pods) {
    const ip = podIp(pod);
    if (!ip || isPodTerminal(pod)) continue;
    const addressType: AddressType = ip.includes(':') ? 'IPv6' : 'IPv4';
    const ports = slicePorts(service, pod);
    const key = groupKey(addressType, ports);
    const group = groups.get(key) ?? { key, addressType, ports, endpoints: [] };
    group.endpoints.push(podEndpoint(service, pod, ip, publishNotReady));
    groups.set(key, group);
  }
  for (const g of groups.values()) g.endpoints.sort((a, b) => (a.addresses[0] ?? '').localeCompare(b.addresses[0] ?? '', 'en', { numeric: true }));
  return [...groups.values()].sort((a, b) => a.key.localeCompare(b.key));
}

/** Identifies a slice's group from its address type and ports (order-insensitive). */
export function groupKey(addressType: string, ports: EndpointPort[]): string {
  const sorted = [...ports].sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '') || (a.port ?? 0) - (b.port ?? 0));
  return `${addressType}:${JSON.stringify(sorted.map((p) => [p.name ?? '', p.port ?? 0, p.protocol ?? 'TCP', p.appProtocol ?? '']))}`;
}

function slicePorts(service: Service, pod: Pod): EndpointPort[] {
  const ports: EndpointPort[] = [];
  for (const sp of service.spec?.ports ?? []) {
    const port = resolveTargetPort(pod, sp);
    if (port === undefined) continue;
    ports.push({ name: sp.name ?? '', port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
  }
  return ports;
}

function podEndpoint(service: Service, pod: Pod, ip: string, publishNotReady: boolean): Endpoint {
  const terminating = pod.metadata?.deletionTimestamp !== undefined;
  const serving = publishNotReady || isPodReady(pod);
  const endpoint: Endpoint = {
    addresses: [ip],
    conditions: { ready: publishNotReady || (serving && !terminating), serving, terminating },
    targetRef: podTargetRef(pod),
  };
  const hostname = podHostname(pod, service);
  if (hostname) endpoint.hostname = hostname;
  if (pod.spec?.nodeName) endpoint.nodeName = pod.spec.nodeName;
  return endpoint;
}

/** Splits a group into chunks of at most `max` endpoints (one chunk, possibly empty, at least). */
export function chunk<T>(items: T[], max: number): T[][] {
  if (items.length === 0) return [[]];
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += max) out.push(items.slice(i, i + max));
  return out;
}

/** Labels every managed slice carries: the Service's own plus the service-name and managed-by labels. */
export function sliceLabels(service: Service): Record<string, string> {
  const labels: Record<string, string> = { ...(service.metadata?.labels ?? {}) };
  labels[SERVICE_NAME_LABEL] = service.metadata?.name ?? '';
  labels[MANAGED_BY_LABEL] = MANAGED_BY;
  if (service.spec?.clusterIP === 'None') labels['service.kubernetes.io/headless'] = '';
  return labels;
}

/** The slice's group key, for matching existing slices to planned groups. */
export function sliceKey(slice: EndpointSlice): string {
  return groupKey(slice.addressType, slice.ports ?? []);
}

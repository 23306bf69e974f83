/**
 * Services and EndpointSlices → what the node programs: the service proxy's desired state and
 * cluster DNS records. Pure, so it is unit-tested without a kernel.
 */
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import type { Service } from 'kubernetes-types/core/v1.js';
import type { DnsEndpoint, DnsService } from '../network/dns/records.ts';
import type { ProxyEndpoint, ProxyService, ProxyState, ServiceProtocol } from '../network/proxy/types.ts';

/** The label that ties an EndpointSlice to its Service. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/** Everything the node derives from one snapshot of Services and slices. */
export interface ServiceNetworkState {
  proxy: ProxyState;
  /** DNS view by `namespace/name`. */
  dns: Map<string, DnsService>;
}

const protocolOf = (p: string | undefined): ServiceProtocol => (p === 'UDP' || p === 'SCTP' ? p : 'TCP');

/** Slices grouped by `namespace/<service-name>`. */
function slicesByService(slices: EndpointSlice[]): Map<string, EndpointSlice[]> {
  const out = new Map<string, EndpointSlice[]>();
  for (const s of slices) {
    const svc = s.metadata?.labels?.[SERVICE_NAME_LABEL];
    if (!svc || (s.addressType && s.addressType !== 'IPv4')) continue;
    const key = `${s.metadata?.namespace ?? ''}/${svc}`;
    out.set(key, [...(out.get(key) ?? []), s]);
  }
  return out;
}

/** Kubernetes: a nil `ready` condition means ready (the endpoint is serving as far as anyone knows). */
const isReady = (e: EndpointSlice['endpoints'][number]): boolean => e.conditions?.ready !== false && e.conditions?.terminating !== true;

function proxyEndpoints(slices: EndpointSlice[], multiPort: boolean, nodeName: string | undefined): ProxyEndpoint[] {
  const out: ProxyEndpoint[] = [];
  for (const s of slices) {
    for (const e of s.endpoints ?? []) {
      const ip = e.addresses[0];
      if (!ip) continue;
      for (const p of s.ports ?? []) {
        if (p.port === undefined) continue;
        const local = nodeName !== undefined && e.nodeName === nodeName;
        out.push({ ip, port: p.port, ready: isReady(e), ...(local ? { local } : {}), ...(p.name || multiPort ? { portName: p.name ?? '' } : {}) });
      }
    }
  }
  return out;
}

function dnsEndpoints(slices: EndpointSlice[]): DnsEndpoint[] {
  const out: DnsEndpoint[] = [];
  for (const s of slices) {
    const ports = (s.ports ?? []).filter((p) => p.port !== undefined).map((p) => ({ name: p.name || undefined, port: p.port ?? 0, protocol: protocolOf(p.protocol) }));
    for (const e of s.endpoints ?? []) {
      for (const ip of e.addresses) out.push({ ip, ready: isReady(e), ports, ...(e.hostname ? { hostname: e.hostname } : {}) });
    }
  }
  return out;
}

function proxyService(svc: Service, endpoints: ProxyEndpoint[]): ProxyService {
  const spec = svc.spec ?? {};
  const type = spec.type === 'NodePort' || spec.type === 'LoadBalancer' || spec.type === 'ExternalName' ? spec.type : 'ClusterIP';
  const lbIps = (svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip).filter((ip): ip is string => Boolean(ip));
  return {
    namespace: svc.metadata?.namespace ?? '',
    name: svc.metadata?.name ?? '',
    type,
    clusterIP: spec.clusterIP,
    ports: (spec.ports ?? []).map((p) => ({ ...(p.name ? { name: p.name } : {}), port: p.port, protocol: protocolOf(p.protocol), ...(p.nodePort ? { nodePort: p.nodePort } : {}) })),
    sessionAffinity: spec.sessionAffinity === 'ClientIP' ? 'ClientIP' : 'None',
    ...(spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ? { sessionAffinityTimeoutSeconds: spec.sessionAffinityConfig.clientIP.timeoutSeconds } : {}),
    ...(spec.externalIPs?.length ? { externalIPs: spec.externalIPs } : {}),
    ...(type === 'LoadBalancer' && lbIps.length ? { loadBalancerIPs: lbIps } : {}),
    ...((type === 'NodePort' || type === 'LoadBalancer') && spec.externalTrafficPolicy === 'Local' ? { externalTrafficPolicy: 'Local' as const } : {}),
    ...(spec.internalTrafficPolicy === 'Local' ? { internalTrafficPolicy: 'Local' as const } : {}),
    ...(type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local' && spec.healthCheckNodePort ? { healthCheckNodePort: spec.healthCheckNodePort } : {}),
    endpoints,
  };
}

/**
 * The proxy state and DNS records for a snapshot of Services and EndpointSlices. `nodeName` marks
 * the endpoints on this node (for traffic policy Local); without it no endpoint is local.
 */
export function serviceNetworkState(services: Service[], slices: EndpointSlice[], nodeName?: string): ServiceNetworkState {
  const bySvc = slicesByService(slices);
  const proxy: ProxyService[] = [];
  const dns = new Map<string, DnsService>();
  const sorted = [...services].sort((a, b) => `${a.metadata?.namespace}/${a.metadata?.name}`.localeCompare(`${b.metadata?.namespace}/${b.metadata?.name}`));
  for (const svc of sorted) {
    const key = `${svc.metadata?.namespace ?? ''}/${svc.metadata?.name ?? ''}`;
    const mine = bySvc.get(key) ?? [];
    const spec = svc.spec ?? {};
    dns.set(key, {
      clusterIP: spec.clusterIP,
      ...(spec.type === 'ExternalName' && spec.externalName ? { externalName: spec.externalName } : {}),
      ports: (spec.ports ?? []).map((p) => ({ name: p.name || undefined, port: p.port, protocol: protocolOf(p.protocol) })),
      endpoints: dnsEndpoints(mine),
    });
    const headless = !spec.clusterIP || spec.clusterIP === 'None';
    if (headless || spec.type === 'ExternalName') continue;
    proxy.push(proxyService(svc, proxyEndpoints(mine, (spec.ports ?? []).length > 1, nodeName)));
  }
  return { proxy: { services: proxy }, dns };
}

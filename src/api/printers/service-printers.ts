import type { Endpoints, LoadBalancerIngress, Service, ServicePort } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import type { Ingress, IngressClass, IngressRule, NetworkPolicy } from 'kubernetes-types/networking/v1.js';
import type { TablePrinter } from '../resource-definition.ts';
import { ageColumn, column, nameColumn, wideColumn } from './columns.ts';
import { ageOf, asKind, formatLabelSelector, formatLabels, listWithMore, nameOf } from './format.ts';

/**
 * Load-balancer addresses, sorted and de-duplicated. The API server renders tables as `-o wide`
 * (kubectl hides columns, not characters), so the 16-character clipping upstream applies to
 * narrow output never happens server-side.
 */
function loadBalancerAddresses(ingress: Array<Pick<LoadBalancerIngress, 'ip' | 'hostname'>> | undefined): string {
  const addresses = new Set<string>();
  for (const i of ingress ?? []) {
    if (i.ip) addresses.add(i.ip);
    else if (i.hostname) addresses.add(i.hostname);
  }
  return [...addresses].sort().join(',');
}

function externalIP(svc: Service, type: string): string {
  const externalIPs = svc.spec?.externalIPs ?? [];
  switch (type) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerAddresses(svc.status?.loadBalancer?.ingress);
      if (externalIPs.length > 0) return [...(lb === '' ? [] : lb.split(',')), ...externalIPs].join(',');
      return lb === '' ? '<pending>' : lb;
    }
    case 'ExternalName':
      return svc.spec?.externalName ?? '';
    default:
      return '<unknown>';
  }
}

function portString(ports: ServicePort[] | undefined): string {
  // Protocol is defaulted to TCP on admission; fall back to it for objects stored without defaults.
  const pieces = (ports ?? []).map((p) => {
    const protocol = p.protocol ?? 'TCP';
    return p.nodePort ? `${p.port}:${p.nodePort}/${protocol}` : `${p.port}/${protocol}`;
  });
  return pieces.length === 0 ? '<none>' : pieces.join(',');
}

/** Services: NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE, wide SELECTOR. */
export const servicePrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Type', 'type determines how the Service is exposed. Defaults to ClusterIP.'),
    column('Cluster-IP', 'clusterIP is the IP address of the service and is usually assigned randomly.'),
    column('External-IP', 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.'),
    column('Port(s)', 'The list of ports that are exposed by this service.'),
    ageColumn(),
    wideColumn('Selector', 'Route service traffic to pods with label keys and values matching this selector.'),
  ],
  cells(obj, now) {
    const svc = asKind<Service>(obj);
    // v1 defaulting sets type ClusterIP; an undefaulted object is shown as that default.
    const type = svc.spec?.type ?? 'ClusterIP';
    const clusterIP = svc.spec?.clusterIPs?.[0] || svc.spec?.clusterIP || '<none>';
    return [nameOf(svc), type, clusterIP, externalIP(svc, type), portString(svc.spec?.ports), ageOf(svc, now), formatLabels(svc.spec?.selector)];
  },
};

function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Up to three `ip:port` endpoints and `+ N more...`, as upstream's `formatEndpoints`. */
function formatEndpoints(ep: Endpoints): string {
  const subsets = ep.subsets ?? [];
  if (subsets.length === 0) return '<none>';
  const all: string[] = [];
  for (const ss of subsets) {
    const ips = (ss.addresses ?? []).map((a) => a.ip);
    // Headless services may have no ports: list bare addresses.
    if ((ss.ports ?? []).length === 0) all.push(...ips);
    for (const port of ss.ports ?? []) all.push(...ips.map((ip) => joinHostPort(ip, port.port)));
  }
  const shown = all.slice(0, 3).join(',');
  return all.length > 3 ? `${shown} + ${all.length - 3} more...` : shown;
}

/** Endpoints: NAME ENDPOINTS AGE. */
export const endpointsPrinter: TablePrinter = {
  columns: [nameColumn(), column('Endpoints', 'The set of all endpoints is the union of all subsets.'), ageColumn()],
  cells(obj, now) {
    const ep = asKind<Endpoints>(obj);
    return [nameOf(ep), formatEndpoints(ep), ageOf(ep, now)];
  },
};

/** EndpointSlices: NAME ADDRESSTYPE PORTS ENDPOINTS AGE. */
export const endpointSlicePrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('AddressType', 'addressType specifies the type of address carried by this EndpointSlice.'),
    column('Ports', 'ports specifies the list of network ports exposed by each endpoint in this slice.'),
    column('Endpoints', 'endpoints is a list of unique endpoints in this slice.'),
    ageColumn(),
  ],
  cells(obj, now) {
    const slice = asKind<EndpointSlice>(obj);
    const ports = (slice.ports ?? []).map((p) => (p.port !== undefined ? String(p.port) : (p.name ?? '*')));
    const addresses = (slice.endpoints ?? []).flatMap((e) => e.addresses);
    return [nameOf(slice), slice.addressType ?? '', listWithMore(ports, 3), listWithMore(addresses, 3), ageOf(slice, now)];
  },
};

function formatHosts(rules: IngressRule[] | undefined): string {
  const list = rules ?? [];
  const hosts: string[] = [];
  let more = false;
  for (const rule of list) {
    // Upstream flags "more" only when a rule remains after three hosts were collected.
    if (hosts.length === 3) more = true;
    if (!more && rule.host) hosts.push(rule.host);
  }
  if (hosts.length === 0) return '*';
  return more ? `${hosts.join(',')} + ${list.length - 3} more...` : hosts.join(',');
}

/** Ingresses: NAME CLASS HOSTS ADDRESS PORTS AGE. */
export const ingressPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Class', 'The name of the IngressClass resource that should be used for additional configuration'),
    column('Hosts', 'Hosts that incoming requests are matched against before the ingress rule'),
    column('Address', 'Address is a list containing ingress points for the load-balancer'),
    column('Ports', 'Ports of TLS configurations that open'),
    ageColumn(),
  ],
  cells(obj, now) {
    const ing = asKind<Ingress>(obj);
    const ports = (ing.spec?.tls ?? []).length > 0 ? '80, 443' : '80';
    const address = loadBalancerAddresses(ing.status?.loadBalancer?.ingress);
    return [nameOf(ing), ing.spec?.ingressClassName ?? '<none>', formatHosts(ing.spec?.rules), address, ports, ageOf(ing, now)];
  },
};

/** IngressClasses: NAME CONTROLLER PARAMETERS AGE. */
export const ingressClassPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Controller', 'Controller that is responsible for handling this class'),
    column('Parameters', 'A reference to a resource with additional parameters'),
    ageColumn(),
  ],
  cells(obj, now) {
    const ic = asKind<IngressClass>(obj);
    const p = ic.spec?.parameters;
    const parameters = p ? `${p.kind}${p.apiGroup !== undefined ? `.${p.apiGroup}` : ''}/${p.name}` : '<none>';
    return [nameOf(ic), ic.spec?.controller ?? '', parameters, ageOf(ic, now)];
  },
};

/** NetworkPolicies: NAME POD-SELECTOR AGE. */
export const networkPolicyPrinter: TablePrinter = {
  columns: [nameColumn(), column('Pod-Selector', 'Selects the pods to which this NetworkPolicy object applies.'), ageColumn()],
  cells(obj, now) {
    const np = asKind<NetworkPolicy>(obj);
    return [nameOf(np), formatLabelSelector(np.spec?.podSelector ?? {}), ageOf(np, now)];
  },
};

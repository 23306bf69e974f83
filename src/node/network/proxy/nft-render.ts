import type { ProxyEndpoint, ProxyService, ProxyServicePort, ProxyState } from './types.ts';

/** How the proxy's table is rendered. */
export interface RenderOptions {
  /** The table (family ip) the proxy owns. */
  table: string;
  /** All pod addresses. Clients inside keep their address; anything else is masqueraded so replies come back through us. */
  clusterCidr: string;
  /** Packet mark bit meaning "masquerade me" (kube-proxy's 0x4000; portmap uses 0x2000). */
  masqueradeMark?: number;
  /** Live session-affinity entries to carry into the new table, by set name. */
  affinity?: ReadonlyMap<string, readonly AffinityEntry[]>;
}

/** A client remembered by a ClientIP-affinity set, with the seconds it has left. */
export interface AffinityEntry {
  ip: string;
  expires: number;
}

const DEFAULT_AFFINITY_TIMEOUT = 10_800;

interface Frontends {
  serviceIps: string[];
  nodePorts: string[];
  noEndpoints: string[];
  noEndpointNodePorts: string[];
  chains: string[];
  sets: string[];
}

/**
 * Renders the complete proxy table. Lookups are verdict maps keyed by `address . protocol . port` (one
 * hash lookup however many Services there are); each Service port's chain spreads new connections
 * with `numgen random mod N` over one chain per ready endpoint, which DNATs.
 */
export function renderProxyTable(state: ProxyState, opts: RenderOptions): string {
  const mark = `0x${(opts.masqueradeMark ?? 0x4000).toString(16)}`;
  const f: Frontends = { serviceIps: [], nodePorts: [], noEndpoints: [], noEndpointNodePorts: [], chains: [], sets: [] };
  const services = [...state.services].sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
  for (const svc of services) {
    if (!svc.clusterIP || svc.clusterIP === 'None' || svc.type === 'ExternalName') continue; // headless: DNS only
    for (const port of svc.ports) renderServicePort(svc, port, mark, opts, f);
  }
  const t = opts.table;
  return [
    `table ip ${t} {`,
    `  map service-ips { type ipv4_addr . inet_proto . inet_service : verdict;${elements(f.serviceIps)} }`,
    `  map node-ports { type inet_proto . inet_service : verdict;${elements(f.nodePorts)} }`,
    `  set no-endpoints { type ipv4_addr . inet_proto . inet_service;${elements(f.noEndpoints)} }`,
    `  set no-endpoint-node-ports { type inet_proto . inet_service;${elements(f.noEndpointNodePorts)} }`,
    ...f.sets,
    '  chain services {',
    '    ip daddr . meta l4proto . th dport vmap @service-ips',
    '    fib daddr type local meta l4proto . th dport vmap @node-ports',
    '  }',
    baseChain('nat-prerouting', 'nat', 'prerouting', '-100', ['jump services']),
    // Host-originated traffic (curl 127.240.0.1:80, 127.0.0.1:<nodePort>) only passes the output hook.
    baseChain('nat-output', 'nat', 'output', '-100', ['jump services']),
    baseChain('nat-postrouting', 'nat', 'postrouting', '100', [
      `meta mark & ${mark} == ${mark} meta mark set meta mark & 0x${(~Number(mark) >>> 0).toString(16)} masquerade`,
    ]),
    // Services without ready endpoints refuse connections at once instead of letting them time out.
    ...['forward', 'output'].map((hook) =>
      baseChain(`reject-${hook}`, 'filter', hook, '0', ['ct state new ip daddr . meta l4proto . th dport @no-endpoints reject']),
    ),
    baseChain('reject-input', 'filter', 'input', '0', ['ct state new fib daddr type local meta l4proto . th dport @no-endpoint-node-ports reject']),
    ...f.chains,
    '}',
    '',
  ].join('\n');
}

function renderServicePort(svc: ProxyService, port: ProxyServicePort, mark: string, opts: RenderOptions, f: Frontends): void {
  const proto = port.protocol.toLowerCase();
  const key = (ip: string): string => `${ip} . ${proto} . ${port.port}`;
  const internalKeys = svc.clusterIP ? [key(svc.clusterIP)] : [];
  const externalKeys = [...new Set([...(svc.externalIPs ?? []), ...(svc.loadBalancerIPs ?? [])])].filter((ip) => ip && ip !== svc.clusterIP).map(key);
  const nodePort = svc.type !== 'ClusterIP' && port.nodePort ? `${proto} . ${port.nodePort}` : undefined;
  const endpoints = readyEndpointsFor(svc, port);
  if (endpoints.length === 0) {
    f.noEndpoints.push(...internalKeys, ...externalKeys);
    if (nodePort) f.noEndpointNodePorts.push(nodePort);
    return;
  }
  const id = `${ident(svc.namespace)}_${ident(svc.name)}_${ident(port.name ?? String(port.port))}_${proto}`;
  const epChains = renderEndpointChains(svc, id, proto, endpoints, mark, opts, f);
  const local = epChains.filter((e) => e.ep.local);
  const masquerade = `ip saddr != ${opts.clusterCidr} meta mark set meta mark | ${mark}`;
  const cluster = `svc_${id}`;
  f.chains.push(spreadChain(cluster, [masquerade], epChains, svc.sessionAffinity === 'ClientIP'));
  let internal = `goto ${cluster}`;
  if (svc.internalTrafficPolicy === 'Local') {
    internal = local.length ? `goto int_${id}` : 'drop';
    if (local.length) f.chains.push(spreadChain(`int_${id}`, [masquerade], local, svc.sessionAffinity === 'ClientIP'));
  }
  let external = `goto ${cluster}`;
  if (svc.externalTrafficPolicy === 'Local') {
    external = `goto ext_${id}`;
    // Pods and the host itself still use every endpoint (kube-proxy does the same): a host client's
    // 127/8 source could not be routed back from a pod, so it is masqueraded; everyone else keeps
    // their address and reaches local endpoints only, or nothing.
    f.chains.push(chain(`ext_${id}`, [`ip saddr ${opts.clusterCidr} goto ${cluster}`, `fib saddr type local goto ${cluster}`, local.length ? `goto loc_${id}` : 'drop']));
    if (local.length) f.chains.push(spreadChain(`loc_${id}`, [], local, svc.sessionAffinity === 'ClientIP'));
  }
  f.serviceIps.push(...internalKeys.map((k) => `${k} : ${internal}`), ...externalKeys.map((k) => `${k} : ${external}`));
  if (nodePort) f.nodePorts.push(`${nodePort} : ${external}`);
}

interface EndpointChain {
  ep: ProxyEndpoint;
  chain: string;
  set: string;
}

/** One DNAT chain per endpoint (with its ClientIP-affinity set), shared by every path that can pick it. */
function renderEndpointChains(svc: ProxyService, id: string, proto: string, endpoints: ProxyEndpoint[], mark: string, opts: RenderOptions, f: Frontends): EndpointChain[] {
  const affinity = svc.sessionAffinity === 'ClientIP';
  const timeout = svc.sessionAffinityTimeoutSeconds ?? DEFAULT_AFFINITY_TIMEOUT;
  const epChains = endpoints.map((ep) => ({ ep, chain: `ep_${id}_${ep.ip}_${ep.port}`, set: `aff_${id}_${ep.ip}_${ep.port}` }));
  for (const { ep, chain: name, set } of epChains) {
    const rules = [`ip saddr ${ep.ip} meta mark set meta mark | ${mark}`]; // hairpin: a pod reaching itself through its Service
    if (affinity) {
      const kept = (opts.affinity?.get(set) ?? []).filter((e) => e.expires > 0 && e.expires <= timeout);
      const elems = kept.map((e) => `${e.ip} timeout ${timeout}s expires ${e.expires}s`);
      f.sets.push(`  set ${set} { type ipv4_addr; flags dynamic,timeout; timeout ${timeout}s;${elements(elems)} }`);
      rules.push(`update @${set} { ip saddr }`);
    }
    rules.push(`meta l4proto ${proto} dnat to ${ep.ip}:${ep.port}`);
    f.chains.push(chain(name, rules));
  }
  return epChains;
}

/** A chain that sends new connections to one of `targets` at random (a remembered one first, with affinity). */
function spreadChain(name: string, first: string[], targets: EndpointChain[], affinity: boolean): string {
  const rules = [...first];
  if (affinity) rules.push(...targets.map((e) => `ip saddr @${e.set} goto ${e.chain}`));
  rules.push(`numgen random mod ${targets.length} vmap { ${targets.map((e, i) => `${i} : goto ${e.chain}`).join(', ')} }`);
  return chain(name, rules);
}

/** Ready endpoints of one Service port, without duplicates, in a stable order. */
export function readyEndpointsFor(svc: ProxyService, port: ProxyServicePort): ProxyEndpoint[] {
  const single = svc.ports.length === 1;
  const seen = new Set<string>();
  return svc.endpoints
    .filter((e) => e.ready && (e.portName === port.name || (single && e.portName === undefined)))
    .filter((e) => !seen.has(`${e.ip}:${e.port}`) && seen.add(`${e.ip}:${e.port}`))
    .sort((a, b) => `${a.ip}:${a.port}`.localeCompare(`${b.ip}:${b.port}`));
}

function baseChain(name: string, type: string, hook: string, priority: string, rules: string[]): string {
  return chain(name, [`type ${type} hook ${hook} priority ${priority}; policy accept;`, ...rules]);
}

function chain(name: string, rules: string[]): string {
  return [`  chain ${name} {`, ...rules.map((r) => `    ${r}`), '  }'].join('\n');
}

function elements(items: string[]): string {
  return items.length > 0 ? ` elements = { ${items.join(', ')} };` : '';
}

/** Kubernetes names are DNS labels already; anything else is mapped so it cannot break the nft syntax. */
function ident(s: string): string {
  return s.replace(/[^a-z0-9-]/gi, 'x');
}

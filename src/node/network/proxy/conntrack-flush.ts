/**
 * UDP has no connection to end: a conntrack entry keeps DNATing a client's flow (e.g. a resolver
 * that reuses its socket) to the endpoint it first picked for as long as packets keep coming, even
 * after that pod is gone. Like kube-proxy, the proxy deletes such entries when an endpoint of a UDP
 * Service port goes away (or the Service does), and, when a port gets its first endpoint, the
 * entries made while it had none (those were never DNATed).
 */
import { runCommand, type CommandResult } from '../../launcher/run-command.ts';
import { readyEndpointsFor } from './nft-render.ts';
import type { ProxyService, ProxyServicePort, ProxyState } from './types.ts';

/** One `conntrack -D -p udp` selection; every field given must match. */
export interface ConntrackFilter {
  /** Original destination address (a ClusterIP, external or LB address); absent for NodePorts. */
  origDst?: string;
  origPortDst: number;
  /** The endpoint that answered (the DNAT target). */
  replySrc?: string;
  replyPortSrc?: number;
}

interface PortView {
  addresses: string[];
  port: number;
  nodePort?: number;
  /** Ready endpoints as `ip:port`. */
  endpoints: Set<string>;
}

/** UDP ports of the state by `namespace/name/port-name-or-number`. */
function udpPorts(state: ProxyState): Map<string, PortView> {
  const out = new Map<string, PortView>();
  for (const svc of state.services) {
    if (!svc.clusterIP || svc.clusterIP === 'None' || svc.type === 'ExternalName') continue;
    for (const port of svc.ports) {
      if (port.protocol !== 'UDP') continue;
      out.set(`${svc.namespace}/${svc.name}/${port.name ?? port.port}`, view(svc, port));
    }
  }
  return out;
}

function view(svc: ProxyService, port: ProxyServicePort): PortView {
  const addresses = [...new Set([svc.clusterIP ?? '', ...(svc.externalIPs ?? []), ...(svc.loadBalancerIPs ?? [])])].filter(Boolean);
  const nodePort = svc.type !== 'ClusterIP' ? port.nodePort : undefined;
  return { addresses, port: port.port, ...(nodePort ? { nodePort } : {}), endpoints: new Set(readyEndpointsFor(svc, port).map((e) => `${e.ip}:${e.port}`)) };
}

/**
 * The conntrack entries to delete after moving the kernel from `prev` to `next` (sorted, no
 * duplicates). Without `prev` (the first apply of this process) nothing is known to be stale.
 */
export function staleUdpFlows(prev: ProxyState | undefined, next: ProxyState): ConntrackFilter[] {
  if (!prev) return [];
  const before = udpPorts(prev);
  const after = udpPorts(next);
  const out: ConntrackFilter[] = [];
  for (const [key, old] of before) {
    const now = after.get(key);
    for (const ep of old.endpoints) {
      if (now?.endpoints.has(ep)) continue;
      const [replySrc = '', portText = '0'] = ep.split(':');
      const target = { replySrc, replyPortSrc: Number(portText) };
      out.push(...old.addresses.map((origDst) => ({ origDst, origPortDst: old.port, ...target })));
      if (old.nodePort) out.push({ origPortDst: old.nodePort, ...target });
    }
  }
  for (const [key, now] of after) {
    if (now.endpoints.size === 0 || (before.get(key)?.endpoints.size ?? 0) > 0) continue;
    out.push(...now.addresses.map((origDst) => ({ origDst, origPortDst: now.port })));
    if (now.nodePort) out.push({ origPortDst: now.nodePort });
  }
  const unique = new Map(out.map((f) => [conntrackArgs(f).join(' '), f]));
  return [...unique.keys()].sort().map((k) => unique.get(k) as ConntrackFilter);
}

/** The `conntrack` arguments deleting the entries `f` selects. */
export function conntrackArgs(f: ConntrackFilter): string[] {
  return [
    '-D', '-p', 'udp',
    ...(f.origDst ? ['--orig-dst', f.origDst] : []),
    '--orig-port-dst', String(f.origPortDst),
    ...(f.replySrc ? ['--reply-src', f.replySrc] : []),
    ...(f.replyPortSrc ? ['--reply-port-src', String(f.replyPortSrc)] : []),
  ];
}

/** Runs a command; injectable so the batching is testable without the kernel. */
export type CommandRunner = (cmd: string, args: readonly string[]) => Promise<CommandResult>;

/**
 * Deletes the entries, a few `conntrack` processes at a time. "0 flow entries have been deleted"
 * (exit 1) is success. Throws one error listing every filter that failed otherwise.
 */
export async function flushConntrack(filters: ConntrackFilter[], run: CommandRunner = (c, a) => runCommand(c, a, { timeoutMs: 10_000 }), parallel = 4): Promise<void> {
  const failures: string[] = [];
  const queue = [...filters];
  const worker = async (): Promise<void> => {
    for (let f = queue.shift(); f; f = queue.shift()) {
      const args = conntrackArgs(f);
      const res = await run('conntrack', args).catch((err: unknown): CommandResult => ({ code: -1, stdout: '', stderr: String(err) }));
      if (res.code !== 0 && !/flow entries have been deleted/.test(res.stderr)) failures.push(`conntrack ${args.join(' ')}: ${res.stderr.trim() || `exit ${res.code}`}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, filters.length) }, worker));
  if (failures.length) throw new Error(`conntrack flush failed: ${failures.join('; ')}`);
}

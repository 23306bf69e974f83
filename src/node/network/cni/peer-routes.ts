import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { mustRun, runCommand } from '../../launcher/run-command.ts';
import { cidrContains, isIpv4, parseCidr, parseIpv4 } from '../ipv4.ts';

/** Another node of the cluster as routing needs it. */
export interface PeerNode {
  /** The peer's pod subnet, e.g. 10.244.2.0/24. */
  podCidr: string;
  /** The peer's address on a network this host shares with it. */
  nodeIP: string;
}

/** One route `ip route replace <dst> via <via>`. */
export interface PeerRoute {
  dst: string;
  via: string;
}

/**
 * Which routes pod-to-pod traffic across nodes needs: one per peer pod CIDR, via the peer's node IP —
 * except for CIDRs this host is already directly connected to. When several "nodes" share one machine,
 * every node's bridge carries its gateway address on this host, so the kernel already has a connected
 * route to each pod CIDR and forwards between the bridges itself; no route is added then. A peer on a
 * loopback address is not reachable from another machine at all, so it gets no route either.
 */
export function planPeerRoutes(peers: readonly PeerNode[], connectedCidrs: ReadonlySet<string>): PeerRoute[] {
  return peers.filter((p) => !connectedCidrs.has(p.podCidr) && !p.nodeIP.startsWith('127.')).map((p) => ({ dst: p.podCidr, via: p.nodeIP }));
}

/** Configuration of {@link PeerRoutes}. */
export interface PeerRoutesConfig {
  /**
   * Where the routes this instance added are remembered (JSON), so a restarted agent — or `cleanup`
   * in another process — removes exactly those and never a route someone else added.
   */
  stateFile?: string;
}

/** Keeps this host's routes to peer pod CIDRs in line with the node list, touching only routes it added. */
export class PeerRoutes {
  private added: Map<string, string> | undefined;

  constructor(private readonly config: PeerRoutesConfig = {}) {}

  /**
   * Adds missing routes, replaces changed ones and removes routes to peers that are gone. A peer whose
   * address is not on a network this host is attached to (the kernel would refuse the gateway), or a
   * route the kernel refuses, does not stop the others; the failures are thrown together at the end.
   */
  async sync(peers: readonly PeerNode[]): Promise<PeerRoute[]> {
    const added = await this.load();
    const connected = await connectedCidrs();
    const wanted = planPeerRoutes(peers, connected);
    const failures: string[] = [];
    for (const r of wanted) {
      if (added.get(r.dst) === r.via) continue;
      if (!onLink(r.via, connected)) {
        failures.push(`${r.dst} via ${r.via}: not on a network of this host`);
        continue;
      }
      const res = await runCommand('ip', ['route', 'replace', r.dst, 'via', r.via]);
      if (res.code === 0) added.set(r.dst, r.via);
      else failures.push(`${r.dst} via ${r.via}: ${res.stderr.trim()}`);
    }
    const keep = new Set(wanted.map((r) => r.dst));
    for (const [dst, via] of [...added]) {
      if (keep.has(dst)) continue;
      // Only our own route: `ip route del` without `via` could take a connected route of the same prefix.
      await runCommand('ip', ['route', 'del', dst, 'via', via]);
      added.delete(dst);
    }
    await this.save(added);
    // Bounded: a cluster of simulated nodes has thousands of unroutable peers.
    if (failures.length > 0) throw new Error(`peer routes not added (${failures.length}): ${failures.slice(0, 3).join('; ')}${failures.length > 3 ? '; …' : ''}`);
    return wanted;
  }

  async removeAll(): Promise<void> {
    await this.sync([]);
  }

  private async load(): Promise<Map<string, string>> {
    if (this.added) return this.added;
    const file = this.config.stateFile;
    const saved = file ? await readFile(file, 'utf8').then((t) => JSON.parse(t) as Record<string, string>, () => ({})) : {};
    this.added = new Map(Object.entries(saved));
    return this.added;
  }

  private async save(added: Map<string, string>): Promise<void> {
    const file = this.config.stateFile;
    if (!file) return;
    if (added.size === 0) return rm(file, { force: true });
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, JSON.stringify(Object.fromEntries(added)));
  }
}

/** Whether `ip` is inside one of the connected destinations (a prefix, or a single address). */
function onLink(ip: string, connected: ReadonlySet<string>): boolean {
  if (!isIpv4(ip)) return false;
  const n = parseIpv4(ip);
  for (const dst of connected) {
    if (dst === 'default' || dst === ip) return true;
    if (dst.includes('/') && cidrContains(parseCidr(dst), n)) return true;
  }
  return false;
}

/** Destinations of the kernel's directly connected IPv4 routes in the main table. */
async function connectedCidrs(): Promise<Set<string>> {
  const routes = JSON.parse(await mustRun('ip', ['-j', '-4', 'route', 'show', 'scope', 'link'])) as Array<{ dst: string }>;
  return new Set(routes.map((r) => r.dst));
}

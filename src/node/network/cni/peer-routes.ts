import { mustRun, runCommand } from '../exec.ts';

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
 * route to each pod CIDR and forwards between the bridges itself; no route is added then.
 */
export function planPeerRoutes(peers: readonly PeerNode[], connectedCidrs: ReadonlySet<string>): PeerRoute[] {
  return peers.filter((p) => !connectedCidrs.has(p.podCidr)).map((p) => ({ dst: p.podCidr, via: p.nodeIP }));
}

/** Keeps this host's routes to peer pod CIDRs in line with the node list, touching only routes it added. */
export class PeerRoutes {
  private added = new Map<string, string>();

  /** Adds missing routes, replaces changed ones and removes routes to peers that are gone. */
  async sync(peers: readonly PeerNode[]): Promise<PeerRoute[]> {
    const wanted = planPeerRoutes(peers, await connectedCidrs());
    for (const r of wanted) {
      if (this.added.get(r.dst) === r.via) continue;
      await mustRun('ip', ['route', 'replace', r.dst, 'via', r.via]);
      this.added.set(r.dst, r.via);
    }
    const keep = new Set(wanted.map((r) => r.dst));
    for (const dst of [...this.added.keys()]) {
      if (keep.has(dst)) continue;
      await runCommand('ip', ['route', 'del', dst]);
      this.added.delete(dst);
    }
    return wanted;
  }

  async removeAll(): Promise<void> {
    await this.sync([]);
  }
}

/** Destinations of the kernel's directly connected IPv4 routes in the main table. */
async function connectedCidrs(): Promise<Set<string>> {
  const routes = JSON.parse(await mustRun('ip', ['-j', '-4', 'route', 'show', 'scope', 'link'])) as Array<{ dst: string }>;
  return new Set(routes.map((r) => r.dst));
}

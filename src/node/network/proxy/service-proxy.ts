import { readFile, writeFile } from 'node:fs/promises';
import { mustRun, runCommand } from '../../launcher/run-command.ts';
import { flushConntrack, staleUdpFlows, type CommandRunner, type ConntrackFilter } from './conntrack-flush.ts';
import { renderProxyTable, type AffinityEntry } from './nft-render.ts';
import type { ProxyState } from './types.ts';

/** Services in the kernel, as the agent drives them. */
export interface ServiceProxy {
  /** Makes the kernel match `state` exactly, atomically; call with the full state after every change. */
  apply(state: ProxyState): Promise<void>;
  /** Removes everything the proxy added to the host. */
  cleanup(): Promise<void>;
  /**
   * The host object the rules live in (the nft table), recorded by the agent: the rules outlive an
   * agent that stops without clean-up, and a later clean-up must find them.
   */
  readonly name: string;
}

/** Configuration of {@link NftServiceProxy}. */
export interface NftServiceProxyConfig {
  /** The proxy's own table (family ip); default `minato-<id>`. */
  table: string;
  /** All pods of the cluster, e.g. 10.244.0.0/16. */
  clusterCidr: string;
  masqueradeMark?: number;
  /**
   * Interfaces behind which pods live (the pod bridges). Host traffic to 127.0.0.1:<nodePort> or to a
   * 127.240.x.y load balancer address leaves with a 127/8 source after DNAT, which the kernel only routes
   * out of interfaces with route_localnet=1; the original values are restored by cleanup.
   */
  routeLocalnetInterfaces?: string[];
  /** Runs `conntrack` for stale UDP flows (default: the host's conntrack, from Debian's conntrack package). */
  conntrack?: CommandRunner;
}

/** ServiceProxy on one nftables table, replaced whole by each `nft -f` transaction. */
export class NftServiceProxy implements ServiceProxy {
  /** Duration of the last `nft -f`, in ms. */
  lastApplyMs = 0;
  private readonly localnetBefore = new Map<string, string>();
  private hasAffinity = false;
  /** What the kernel was last given, to tell which UDP endpoints went away. */
  private applied: ProxyState | undefined;
  /** The conntrack filters of the last apply (empty when nothing went stale). */
  lastFlush: ConntrackFilter[] = [];

  get name(): string {
    return this.config.table;
  }

  constructor(private readonly config: NftServiceProxyConfig) {
    if (!/^[A-Za-z][A-Za-z0-9_-]{0,63}$/.test(config.table)) throw new Error(`invalid table name ${config.table}`);
  }

  async apply(state: ProxyState): Promise<void> {
    await this.enableRouteLocalnet();
    const affinity = this.hasAffinity ? await this.liveAffinity() : undefined;
    const table = renderProxyTable(state, { table: this.config.table, clusterCidr: this.config.clusterCidr, masqueradeMark: this.config.masqueradeMark, affinity });
    // "create if missing, delete, define" in one transaction: the kernel never sees a half-built table.
    const script = `table ip ${this.config.table} {}\ndelete table ip ${this.config.table}\n${table}`;
    const started = performance.now();
    await mustRun('nft', ['-f', '-'], { input: script });
    this.lastApplyMs = performance.now() - started;
    this.hasAffinity = state.services.some((s) => s.sessionAffinity === 'ClientIP');
    // Only after the new rules are in: a flushed flow's next packet must meet the new endpoints.
    this.lastFlush = staleUdpFlows(this.applied, state);
    this.applied = state;
    if (this.lastFlush.length) await flushConntrack(this.lastFlush, this.config.conntrack);
  }

  async cleanup(): Promise<void> {
    await runCommand('nft', ['delete', 'table', 'ip', this.config.table]);
    for (const [ifName, value] of this.localnetBefore) {
      await writeFile(`/proc/sys/net/ipv4/conf/${ifName}/route_localnet`, value).catch(() => undefined); // interface may be gone
    }
    this.localnetBefore.clear();
    this.hasAffinity = false;
    this.applied = undefined;
  }

  private async enableRouteLocalnet(): Promise<void> {
    for (const ifName of this.config.routeLocalnetInterfaces ?? []) {
      if (this.localnetBefore.has(ifName)) continue;
      const file = `/proc/sys/net/ipv4/conf/${ifName}/route_localnet`;
      this.localnetBefore.set(ifName, (await readFile(file, 'utf8')).trim());
      await writeFile(file, '1');
    }
  }

  /** ClientIP-affinity memory of the current table, so a rebuild does not reshuffle sticky clients. */
  private async liveAffinity(): Promise<Map<string, AffinityEntry[]>> {
    const res = await runCommand('nft', ['-j', 'list', 'table', 'ip', this.config.table]);
    const out = new Map<string, AffinityEntry[]>();
    if (res.code !== 0) return out;
    const doc = JSON.parse(res.stdout) as { nftables: Array<{ set?: { name: string; elem?: unknown[] } }> };
    for (const item of doc.nftables) {
      if (!item.set?.name.startsWith('aff_') || !item.set.elem) continue;
      const entries: AffinityEntry[] = [];
      for (const e of item.set.elem) {
        const elem = (e as { elem?: { val?: unknown; expires?: number } }).elem;
        if (typeof elem?.val === 'string' && typeof elem.expires === 'number') entries.push({ ip: elem.val, expires: elem.expires });
      }
      out.set(item.set.name, entries);
    }
    return out;
  }
}

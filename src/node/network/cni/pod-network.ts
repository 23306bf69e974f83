import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { mustRun, runCommand } from '../../launcher/run-command.ts';
import { CniRunner } from './cni-runner.ts';
import { bridgeNetworkList } from './conflist.ts';
import { installEgressGuard, removeEgressGuard } from './egress-guard.ts';
import {
  acquireIpForward,
  deleteLink,
  releaseIpForward,
  ensureBridge,
  listNetns,
  removeHostportChainsIfUnused,
  setInterfaceSysctl,
} from './host-state.ts';
import type { CniNetworkList, CniPortMapping, CniResult } from './types.ts';
import { formatIpv4, parseCidr } from '../ipv4.ts';

/** A pod as the network sees it. */
export interface PodNetworkRequest {
  uid: string;
  namespace: string;
  name: string;
  hostPorts?: CniPortMapping[];
}

/** Where the pod's network lives once set up. */
export interface PodNetworkStatus {
  /** Bind-mounted network namespace to put in the OCI spec (`linux.namespaces[type=network].path`). */
  netnsPath: string;
  /** The pod IP (no prefix length). */
  ip: string;
  /** Host side of the pod's veth pair, as reported by the bridge plugin. */
  hostVeth?: string;
}

/** Pod networking as the agent needs it. */
export interface PodNetwork {
  /** Creates the pod's network namespace and attaches it; calling it again for a set-up pod returns its state. */
  setUp(pod: PodNetworkRequest): Promise<PodNetworkStatus>;
  /** Detaches and deletes the namespace. Idempotent: a pod that is already gone is fine. */
  tearDown(pod: Pick<PodNetworkRequest, 'uid' | 'hostPorts'>): Promise<void>;
  /** Tears down every pod of this network and removes everything it added to the host. */
  cleanupAll(): Promise<void>;
}

/** Configuration of {@link CniPodNetwork}. */
export interface CniPodNetworkConfig {
  /** Short unique id of this network instance ([a-z0-9], ≤ 8 chars); every host object's name derives from it. */
  id: string;
  /** This node's pod subnet, e.g. 10.244.1.0/24. */
  podCidr: string;
  /** All pods of the cluster, e.g. 10.244.0.0/16: the only destinations pods may be forwarded to. */
  clusterCidr: string;
  /** Holds host-local's IPAM directory and the remembered ip_forward value. */
  stateDir: string;
  /** Host-wide directory shared by every pod network on this machine to agree on ip_forward; default /run/minato-net/ip-forward. */
  ipForwardDir?: string;
  /** Defaults to `mz<id>br`. */
  bridgeName?: string;
  pluginDirs?: string[];
}

/** PodNetwork on Debian's CNI plugins (bridge + host-local + portmap + loopback), netns via `ip netns`. */
export class CniPodNetwork implements PodNetwork {
  readonly runner: CniRunner;
  readonly bridge: string;
  readonly guardTable: string;
  private readonly list: CniNetworkList;
  /** The same list without portmap, for pods without hostPorts: one Go plugin fewer per ADD and DEL. */
  private readonly listWithoutPorts: CniNetworkList;
  private hostReady: Promise<void> | undefined;

  constructor(private readonly config: CniPodNetworkConfig) {
    if (!/^[a-z0-9]{1,8}$/.test(config.id)) throw new Error(`network id must be 1-8 of [a-z0-9], got ${config.id}`);
    this.bridge = config.bridgeName ?? `mz${config.id}br`;
    this.guardTable = `minato-net-${config.id}`;
    this.runner = new CniRunner({ pluginDirs: config.pluginDirs });
    this.list = bridgeNetworkList({
      name: `minato-${config.id}`,
      bridge: this.bridge,
      podCidr: config.podCidr,
      ipamDataDir: this.ipamDir,
    });
    this.listWithoutPorts = { ...this.list, plugins: this.list.plugins.filter((p) => p.type !== 'portmap') };
  }

  private listFor(hostPorts: readonly CniPortMapping[] | undefined): CniNetworkList {
    return hostPorts?.length ? this.list : this.listWithoutPorts;
  }

  /** The netns name of a pod; derived from the uid alone so an agent restart finds it again. */
  netnsName(uid: string): string {
    return `mz${this.config.id}-${uid}`;
  }

  private get ipForwardDir(): string {
    return this.config.ipForwardDir ?? '/run/minato-net/ip-forward';
  }

  private get ipamDir(): string {
    return `${this.config.stateDir}/ipam`;
  }

  async setUp(pod: PodNetworkRequest): Promise<PodNetworkStatus> {
    await this.prepareHost();
    const ns = this.netnsName(pod.uid);
    const netnsPath = `/run/netns/${ns}`;
    const saved = await this.saved(pod.uid);
    const exists = (await listNetns()).includes(ns);
    // A repeated ADD would fail (eth0 exists, host-local refuses a second address), so answer from the record.
    if (exists && saved?.status) return saved.status;
    if (exists) await this.tearDown(pod); // a half-finished earlier attempt
    await mustRun('ip', ['netns', 'add', ns]);
    // portmap's DEL only removes the hostPort rules it is told about, so remember them for tearDown after a restart.
    const record: SavedPod = { hostPorts: pod.hostPorts ?? [] };
    await this.save(pod.uid, record);
    try {
      const result = await this.runner.add(this.listFor(pod.hostPorts), {
        containerId: pod.uid,
        netnsPath,
        ifName: 'eth0',
        runtimeConfig: pod.hostPorts?.length ? { portMappings: pod.hostPorts } : undefined,
      });
      const status = { netnsPath, ...addressOf(result) };
      await this.save(pod.uid, { ...record, status });
      return status;
    } catch (e) {
      await this.tearDown(pod).catch(() => undefined);
      throw e;
    }
  }

  async tearDown(pod: Pick<PodNetworkRequest, 'uid' | 'hostPorts'>): Promise<void> {
    const ns = this.netnsName(pod.uid);
    const exists = (await listNetns()).includes(ns);
    const hostPorts = pod.hostPorts?.length ? pod.hostPorts : ((await this.saved(pod.uid))?.hostPorts ?? []);
    // DEL with an empty netns still releases the IPAM reservation and portmap's chain (CNI spec: DEL must tolerate missing resources).
    await this.runner.del(this.listFor(hostPorts), {
      containerId: pod.uid,
      netnsPath: exists ? `/run/netns/${ns}` : '',
      ifName: 'eth0',
      runtimeConfig: hostPorts.length ? { portMappings: hostPorts } : undefined,
    });
    if (exists) await mustRun('ip', ['netns', 'del', ns]);
    await rm(this.podFile(pod.uid), { force: true });
  }

  private get podsDir(): string {
    return `${this.config.stateDir}/pods`;
  }

  private podFile(uid: string): string {
    return `${this.podsDir}/${encodeURIComponent(uid)}.json`;
  }

  private async saved(uid: string): Promise<SavedPod | undefined> {
    try {
      return JSON.parse(await readFile(this.podFile(uid), 'utf8')) as SavedPod;
    } catch {
      return undefined;
    }
  }

  private async save(uid: string, record: SavedPod): Promise<void> {
    await mkdir(this.podsDir, { recursive: true });
    await writeFile(this.podFile(uid), JSON.stringify(record));
  }

  async cleanupAll(): Promise<void> {
    const prefix = this.netnsName('');
    for (const ns of await listNetns()) {
      if (ns.startsWith(prefix)) await this.tearDown({ uid: ns.slice(prefix.length) }).catch(() => runCommand('ip', ['netns', 'del', ns]));
    }
    await deleteLink(this.bridge);
    await removeEgressGuard(this.guardTable);
    await removeHostportChainsIfUnused();
    await releaseIpForward(this.ipForwardDir, this.guardTable);
    await rm(this.ipamDir, { recursive: true, force: true });
    await rm(this.podsDir, { recursive: true, force: true });
    this.hostReady = undefined;
  }

  /**
   * Prepares the host before any pod exists and returns the bridge's gateway address, so node
   * services that pods reach (cluster DNS) can bind to it at start-up. The address is the one the
   * bridge plugin would add itself (first of the pod CIDR, same prefix), which the plugin accepts.
   */
  async prepareNode(): Promise<{ bridge: string; gateway: string }> {
    await this.prepareHost();
    const cidr = parseCidr(this.config.podCidr);
    const gateway = formatIpv4(cidr.base + 1);
    await mustRun('ip', ['addr', 'replace', `${gateway}/${cidr.bits}`, 'dev', this.bridge]);
    return { bridge: this.bridge, gateway };
  }

  /** Once per instance: guard first (before any pod has an address), then the bridge. */
  private prepareHost(): Promise<void> {
    this.hostReady ??= (async () => {
      await acquireIpForward(this.ipForwardDir, this.guardTable);
      await installEgressGuard({ table: this.guardTable, podCidr: this.config.podCidr, allowedCidrs: [this.config.clusterCidr] });
      await ensureBridge(this.bridge);
      // Lets the service proxy and portmap DNAT host traffic sent to 127.0.0.0/8 into pods on this bridge.
      await setInterfaceSysctl(this.bridge, 'route_localnet', '1');
    })().catch((e: unknown) => {
      this.hostReady = undefined;
      throw e;
    });
    return this.hostReady;
  }
}

/** What is kept per pod under `<stateDir>/pods/`, so tearDown and repeated setUp work after an agent restart. */
interface SavedPod {
  hostPorts: CniPortMapping[];
  status?: PodNetworkStatus;
}

function addressOf(result: CniResult): { ip: string; hostVeth?: string } {
  const address = result.ips?.[0]?.address;
  if (!address) throw new Error('CNI ADD returned no IP address');
  const hostVeth = result.interfaces?.find((i) => !i.sandbox && i.name.startsWith('veth'))?.name;
  return { ip: address.split('/')[0] ?? address, ...(hostVeth ? { hostVeth } : {}) };
}

/**
 * The node's Service plumbing: informers on Services and EndpointSlices drive the service proxy
 * (one debounced, whole-table `apply` per burst of changes) and the cluster DNS records; the DNS
 * server listens where pods reach it (the pod bridge's gateway). When it stops, the DNS server stops
 * but the proxy's rules stay, so Services keep answering while the agent restarts (pods keep running
 * too); the next agent replaces the table atomically on its first apply. Only the node clean-up
 * (`cleanupNode`, `--cleanup-on-exit`) removes them.
 */
import type { Service } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import type { Clock } from '../../client/clock.ts';
import { Informer } from '../../client/informer.ts';
import type { KubeClient } from '../../client/kube-client.ts';
import { R } from '../../client/resource-ref.ts';
import { ClusterResolver } from '../network/dns/cluster-resolver.ts';
import { ClusterDnsServer } from '../network/dns/dns-server.ts';
import { UdpForwarder, upstreamsFromResolvConf } from '../network/dns/forwarder.ts';
import { MemoryDnsRecords } from '../network/dns/records.ts';
import { HealthCheckServers, healthChecksOf } from '../network/proxy/health-check-server.ts';
import type { ServiceProxy } from '../network/proxy/service-proxy.ts';
import { serviceNetworkState } from './service-state.ts';
import type { AgentLog } from './worker-context.ts';

/** Cluster DNS served by the agent. */
export interface NodeDnsConfig {
  /** Must be an address of this host when the server starts (see {@link ServiceNetworkConfig.prepare}). */
  address: string;
  /** Default 53. */
  port?: number;
  clusterDomain?: string;
  /** Where other names go; default: the host's /etc/resolv.conf nameservers. */
  upstreams?: string[];
}

/** Configuration of {@link runServiceNetwork}. */
export interface ServiceNetworkConfig {
  client: KubeClient;
  clock: Clock;
  log: AgentLog;
  proxy: ServiceProxy;
  dns?: NodeDnsConfig;
  /** Runs first, e.g. to give the pod bridge its gateway address before DNS binds to it. */
  prepare?: () => Promise<void>;
  /** Changes within this window are applied together; default 100 ms. */
  debounceMs?: number;
  /** This node: its endpoints are the local ones of traffic policy Local. Without it, no endpoint is local. */
  nodeName?: string;
  /** Where `healthCheckNodePort`s listen (the node's address); default 127.0.0.1. */
  healthCheckAddress?: string;
}

/** A running service network; `ready` rejects when it could not start; `stopped` resolves (never rejects) once the watches and DNS stopped (the proxy rules stay). */
export interface RunningServiceNetwork {
  /** Resolves once both informers synced and the first state was applied. */
  ready: Promise<void>;
  stopped: Promise<void>;
}

/** Starts the proxy and DNS; stops DNS (leaving the proxy rules) when `signal` aborts. */
export function runServiceNetwork(cfg: ServiceNetworkConfig, signal: AbortSignal): RunningServiceNetwork {
  let markReady: () => void = () => undefined;
  let fail: (err: unknown) => void = () => undefined;
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    fail = reject;
  });
  ready.catch(() => undefined); // the caller may already have stopped waiting
  const stopped = run(cfg, signal, markReady).catch((err: unknown) => {
    cfg.log('service network failed', { err: String(err) });
    fail(err);
  });
  return { ready, stopped };
}

async function run(cfg: ServiceNetworkConfig, signal: AbortSignal, markReady: () => void): Promise<void> {
  const onError = (what: string) => (err: unknown): void => cfg.log(`${what} watch failed`, { err: String(err) });
  const services = new Informer<Service>(cfg.client, R.services, { clock: cfg.clock, onError: onError('service') });
  const slices = new Informer<EndpointSlice>(cfg.client, R.endpointslices, { clock: cfg.clock, onError: onError('endpointslice') });
  const records = new MemoryDnsRecords();
  const health = new HealthCheckServers({ address: cfg.healthCheckAddress ?? '127.0.0.1', onError: (port, err) => cfg.log('health check port not served', { port, err: err.message }) });
  let dns: ClusterDnsServer | undefined;
  let known = new Set<string>();
  let timer: { cancel(): void } | undefined;
  let applying: Promise<void> = Promise.resolve();

  const applyNow = async (): Promise<void> => {
    const state = serviceNetworkState(services.list(), slices.list(), cfg.nodeName);
    for (const key of known) if (!state.dns.has(key)) records.delete(...splitKey(key));
    for (const [key, svc] of state.dns) records.set(...splitKey(key), svc);
    known = new Set(state.dns.keys());
    await health.sync(healthChecksOf(state.proxy));
    await cfg.proxy.apply(state.proxy);
  };
  const schedule = (): void => {
    if (signal.aborted || !services.hasSynced() || !slices.hasSynced() || timer) return;
    timer = cfg.clock.setTimer(cfg.debounceMs ?? 100, () => {
      timer = undefined;
      applying = applying.then(applyNow).catch((err: unknown) => cfg.log('service proxy apply failed', { err: String(err) }));
    });
  };
  for (const inf of [services, slices] as Array<Informer<Service> | Informer<EndpointSlice>>) {
    inf.on({ add: schedule, update: schedule, delete: schedule });
  }
  try {
    await cfg.prepare?.();
    if (cfg.dns) dns = await startDns(cfg, cfg.dns, records);
    const watching = [services.run(signal), slices.run(signal)];
    await Promise.race([Promise.all([services.waitForSync(), slices.waitForSync()]), new Promise((r) => signal.addEventListener('abort', r, { once: true }))]);
    if (!signal.aborted) {
      applying = applyNow().catch((err: unknown) => cfg.log('service proxy apply failed', { err: String(err) }));
      await applying;
      cfg.log('service network ready', { services: services.list().length, dns: cfg.dns ? `${cfg.dns.address}:${cfg.dns.port ?? 53}` : 'off' });
      markReady();
    }
    await Promise.all(watching);
  } finally {
    timer?.cancel();
    await applying;
    await health.close();
    await dns?.stop();
  }
}

async function startDns(cfg: ServiceNetworkConfig, d: NodeDnsConfig, records: MemoryDnsRecords): Promise<ClusterDnsServer> {
  const upstreams = d.upstreams ?? (await upstreamsFromResolvConf('/etc/resolv.conf', [d.address]));
  const forwarder = upstreams.length ? new UdpForwarder({ servers: upstreams, clock: cfg.clock }) : undefined;
  const server = new ClusterDnsServer({ address: d.address, port: d.port ?? 53, resolver: new ClusterResolver({ records, clusterDomain: d.clusterDomain }), forwarder });
  await server.start();
  return server;
}

function splitKey(key: string): [string, string] {
  const i = key.indexOf('/');
  return [key.slice(0, i), key.slice(i + 1)];
}

import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { after, before, describe, it } from 'node:test';
import { CniPodNetwork } from '../cni/pod-network.ts';
import { mustRun, runCommand } from '../../launcher/run-command.ts';
import { subnetAt } from '../ipv4.ts';
import { freeClusterCidr, httpGet, httpGetFrom, requireHost, runId, startHttpd, stop } from '../testing/host.ts';
import { listNetns } from '../cni/host-state.ts';
import { ClusterResolver } from '../dns/cluster-resolver.ts';
import { ClusterDnsServer } from '../dns/dns-server.ts';
import { MemoryDnsRecords } from '../dns/records.ts';
import { LoadBalancerAllocator } from './lb-allocator.ts';
import { NftServiceProxy } from './service-proxy.ts';
import { startOutsideClient } from './test-support.ts';
import type { ProxyService, ProxyState } from './types.ts';

describe('NftServiceProxy (root)', () => {
  const id = runId();
  let dir = '';
  let cluster = '';
  let pods: CniPodNetwork;
  let proxy: NftServiceProxy;
  const servers: ChildProcess[] = [];
  const ip: Record<string, string> = {};
  const nodePort = 30000 + Math.floor(Math.random() * 2700);
  const lb = new LoadBalancerAllocator({ pool: `127.240.${1 + Math.floor(Math.random() * 250)}.0/24` });
  const lbWeb = lb.allocate('default/web');
  const lbSticky = lb.allocate('default/sticky');
  // ClusterIPs are only dialled from inside a pod netns: if DNAT failed, the pod egress guard drops the packet.
  const clusterIP = `172.30.${Math.floor(Math.random() * 250)}.10`;

  const service = (over: Partial<ProxyService>, ready = { a: true, b: true }): ProxyService => ({
    namespace: 'default',
    name: 'web',
    type: 'LoadBalancer',
    clusterIP,
    ports: [{ name: 'http', port: 80, protocol: 'TCP', nodePort }],
    loadBalancerIPs: [lbWeb],
    endpoints: [
      { ip: ip.a ?? '', port: 8080, portName: 'http', ready: ready.a },
      { ip: ip.b ?? '', port: 8080, portName: 'http', ready: ready.b },
    ],
    ...over,
  });
  const state = (ready = { a: true, b: true }): ProxyState => ({
    services: [
      service({}, ready),
      service({ name: 'sticky', clusterIP: clusterIP.replace(/10$/, '11'), ports: [{ name: 'http', port: 80, protocol: 'TCP' }], loadBalancerIPs: [lbSticky], sessionAffinity: 'ClientIP' }, ready),
      service({ name: 'headless', clusterIP: 'None', type: 'ClusterIP', loadBalancerIPs: [] }, ready),
    ],
  });
  const bodies = async (host: string, port: number, n: number): Promise<Set<string>> => {
    const seen = new Set<string>();
    for (let i = 0; i < n; i++) seen.add(await httpGet(host, port));
    return seen;
  };

  before(async () => {
    requireHost(['ip', 'nft', 'iptables', 'busybox', '/usr/lib/cni/bridge', '/usr/lib/cni/host-local', '/usr/lib/cni/portmap', '/usr/lib/cni/loopback']);
    dir = await mkdtemp(`${tmpdir()}/mz-proxy-`);
    ({ cluster } = await freeClusterCidr());
    pods = new CniPodNetwork({ id, podCidr: subnetAt(cluster, 1), clusterCidr: cluster, stateDir: `${dir}/net` });
    for (const name of ['a', 'b', 'client']) {
      ip[name] = (await pods.setUp({ uid: name, namespace: 'default', name })).ip;
      if (name !== 'client') servers.push(await startHttpd(pods.netnsName(name), `${dir}/www-${name}`, `pod${name.toUpperCase()}`));
    }
    proxy = new NftServiceProxy({ table: `minato-${id}`, clusterCidr: cluster, routeLocalnetInterfaces: [pods.bridge] });
    await proxy.apply(state());
  });

  after(async () => {
    for (const s of servers) await stop(s);
    await proxy?.cleanup();
    await pods?.cleanupAll();
    await rm(dir, { recursive: true, force: true });
  });

  it('ClusterIP spreads connections from a pod over both endpoints', async () => {
    const seen = new Set<string | undefined>();
    for (let i = 0; i < 16; i++) seen.add(await httpGetFrom(pods.netnsName('client'), `http://${clusterIP}/`));
    assert.deepEqual([...seen].sort(), ['podA', 'podB']);
  });

  it('NodePort answers on 127.0.0.1 and spreads', async () => {
    assert.deepEqual([...(await bodies('127.0.0.1', nodePort, 16))].sort(), ['podA', 'podB']);
  });

  it('a LoadBalancer address from the loopback pool answers from the host and spreads', async () => {
    assert.match(lbWeb, /^127\.240\.\d+\.1$/);
    assert.deepEqual([...(await bodies(lbWeb, 80, 16))].sort(), ['podA', 'podB']);
  });

  it('sessionAffinity ClientIP sticks to one endpoint, also across a rebuild', async () => {
    const first = await bodies(lbSticky, 80, 10);
    assert.equal(first.size, 1);
    await proxy.apply(state());
    const again = await bodies(lbSticky, 80, 6);
    assert.deepEqual([...again], [...first]);
    assert.match(await mustRun('nft', ['list', 'table', 'ip', `minato-${id}`]), /expires/);
  });

  it('a pod reaches itself through its own Service (hairpin)', async () => {
    const seen = new Set<string | undefined>();
    for (let i = 0; i < 8; i++) seen.add(await httpGetFrom(pods.netnsName('a'), `http://${clusterIP}/`));
    assert.ok(seen.has('podA') && !seen.has(undefined), [...seen].join(','));
  });

  it('reflects endpoint removal after a rebuild; no ready endpoints → refused', async () => {
    await proxy.apply(state({ a: true, b: false }));
    assert.deepEqual([...(await bodies(lbWeb, 80, 10))], ['podA']);
    await proxy.apply(state({ a: false, b: false }));
    await assert.rejects(httpGet(lbWeb, 80, { timeoutMs: 2000 }), /ECONNREFUSED/);
    await assert.rejects(httpGet('127.0.0.1', nodePort, { timeoutMs: 2000 }), /ECONNREFUSED/);
    await proxy.apply(state());
  });

  it('externalTrafficPolicy Local: an outside client reaches local endpoints only, none local → dropped; the host still reaches all', async () => {
    const outside = await startOutsideClient(id, `${lbWeb}/32`);
    const local = (a: boolean, b: boolean): ProxyState => ({
      services: [service({ externalTrafficPolicy: 'Local', endpoints: [{ ip: ip.a ?? '', port: 8080, portName: 'http', ready: true, local: a }, { ip: ip.b ?? '', port: 8080, portName: 'http', ready: true, local: b }] })],
    });
    const fromOutside = async (url: string, n: number): Promise<Set<string | undefined>> => {
      const seen = new Set<string | undefined>();
      for (let i = 0; i < n; i++) seen.add(await httpGetFrom(outside.ns, url));
      return seen;
    };
    try {
      await proxy.apply(local(true, false));
      assert.deepEqual([...(await fromOutside(`http://${outside.hostAddress}:${nodePort}/`, 8))], ['podA']);
      assert.deepEqual([...(await fromOutside(`http://${lbWeb}/`, 8))], ['podA']);
      assert.deepEqual([...(await bodies('127.0.0.1', nodePort, 16))].sort(), ['podA', 'podB']);
      await proxy.apply(local(false, false));
      // Dropped, not refused: the client hears nothing (kube-proxy: a node without local endpoints blackholes).
      const r = await runCommand('ip', ['netns', 'exec', outside.ns, 'busybox', 'wget', '-q', '-O', '-', `http://${outside.hostAddress}:${nodePort}/`], { timeoutMs: 2000 });
      assert.equal(r.code, 124, `${r.code} ${r.stdout} ${r.stderr}`);
      assert.deepEqual([...(await bodies(lbWeb, 80, 12))].sort(), ['podA', 'podB']);
    } finally {
      await outside.remove();
      await proxy.apply(state());
    }
  });

  it('applies a table of 1000 services in one nft transaction', async () => {
    const services: ProxyService[] = [];
    for (let i = 0; i < 1000; i++) {
      services.push({
        namespace: 'bench',
        name: `svc-${i}`,
        type: 'ClusterIP',
        clusterIP: `172.31.${i >> 8}.${i & 255}`,
        ports: [{ port: 80, protocol: 'TCP' }],
        endpoints: [1, 2].map((k) => ({ ip: `10.250.${i >> 8}.${(i & 127) * 2 + k - 1}`, port: 8080, ready: true })),
      });
    }
    await proxy.apply({ services: [...state().services, ...services] });
    const first = proxy.lastApplyMs;
    await proxy.apply({ services: [...state().services, ...services] });
    console.log(`nft -f with 1000 services (2 endpoints each): ${first.toFixed(0)} ms create, ${proxy.lastApplyMs.toFixed(0)} ms replace`);
    assert.deepEqual([...(await bodies(lbWeb, 80, 12))].sort(), ['podA', 'podB']);
  });

  it('cluster DNS on the bridge gateway answers a pod, and the name leads to the Service', async () => {
    const records = new MemoryDnsRecords();
    records.set('default', 'web', { clusterIP, ports: [{ name: 'http', port: 80, protocol: 'TCP' }], endpoints: [] });
    const gateway = subnetAt(cluster, 1).replace(/0\/24$/, '1');
    const dns = new ClusterDnsServer({ address: gateway, port: 53, resolver: new ClusterResolver({ records }) });
    await dns.start();
    try {
      const ns = pods.netnsName('client');
      const out = await runCommand('ip', ['netns', 'exec', ns, 'busybox', 'nslookup', 'web.default.svc.cluster.local', gateway], { timeoutMs: 5000 });
      assert.match(out.stdout, new RegExp(clusterIP.replace(/\./g, '\\.')), out.stdout + out.stderr);
      const nx = await runCommand('ip', ['netns', 'exec', ns, 'busybox', 'nslookup', 'nope.default.svc.cluster.local', gateway], { timeoutMs: 5000 });
      assert.match(nx.stdout + nx.stderr, /NXDOMAIN|can't find/i);
      assert.ok(['podA', 'podB'].includes((await httpGetFrom(ns, `http://${clusterIP}/`)) ?? ''));
    } finally {
      await dns.stop();
    }
  });

  it('cleanup removes the table and restores route_localnet', async () => {
    await proxy.cleanup();
    const tables = await mustRun('nft', ['list', 'tables']);
    assert.ok(!tables.includes(`minato-${id}`));
    // The pod network sets route_localnet itself; the proxy restores what it found (1).
    assert.equal((await readFile(`/proc/sys/net/ipv4/conf/${pods.bridge}/route_localnet`, 'utf8')).trim(), '1');
    await assert.rejects(httpGet(lbWeb, 80, { timeoutMs: 1000 }));
    const r = await runCommand('nft', ['list', 'table', 'ip', `minato-${id}`]);
    assert.notEqual(r.code, 0);
  });

  it('with the pod network cleaned up too, the host has nothing of this run left', async () => {
    for (const s of servers.splice(0)) await stop(s);
    await pods.cleanupAll();
    assert.deepEqual((await listNetns()).filter((n) => n.startsWith(`mz${id}`)), []);
    assert.doesNotMatch(await mustRun('ip', ['-o', 'link', 'show']), new RegExp(`mz${id}`));
    assert.doesNotMatch(await mustRun('nft', ['list', 'tables']), new RegExp(id));
    assert.doesNotMatch((await runCommand('iptables-save', ['-t', 'nat'])).stdout, new RegExp(`minato-${id}`));
  });
});

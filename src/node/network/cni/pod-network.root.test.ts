import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { after, before, describe, it } from 'node:test';
import type { ChildProcess } from 'node:child_process';
import { mustRun, runCommand } from '../../launcher/run-command.ts';
import { freeClusterCidr, httpGet, httpGetFrom, median, requireHost, runId, startHttpd, stop } from '../testing/host.ts';
import { listNetns } from './host-state.ts';
import { CniPodNetwork, type PodNetworkStatus } from './pod-network.ts';
import { subnetAt } from '../ipv4.ts';
import { PeerRoutes } from './peer-routes.ts';

describe('CniPodNetwork (root)', () => {
  const id = runId();
  let dir = '';
  let cluster = '';
  let second = 0;
  let node1: CniPodNetwork;
  let node2: CniPodNetwork;
  let ipForwardBefore = '';
  const servers: ChildProcess[] = [];
  const pods: Record<string, PodNetworkStatus> = {};
  const outsideNs = `mz${id}-outside`;
  const outsideVeth = `mz${id}o`;

  before(async () => {
    requireHost(['ip', 'nft', 'iptables', 'busybox', '/usr/lib/cni/bridge', '/usr/lib/cni/host-local', '/usr/lib/cni/portmap', '/usr/lib/cni/loopback']);
    ipForwardBefore = (await mustRun('sysctl', ['-n', 'net.ipv4.ip_forward'])).trim();
    dir = await mkdtemp(`${tmpdir()}/mz-net-`);
    ({ cluster, second } = await freeClusterCidr());
    node1 = new CniPodNetwork({ id: `${id}a`, podCidr: subnetAt(cluster, 1), clusterCidr: cluster, stateDir: `${dir}/n1` });
    node2 = new CniPodNetwork({ id: `${id}b`, podCidr: subnetAt(cluster, 2), clusterCidr: cluster, stateDir: `${dir}/n2` });
  });

  after(async () => {
    for (const s of servers) await stop(s);
    await node1?.cleanupAll();
    await node2?.cleanupAll();
    await runCommand('ip', ['netns', 'del', outsideNs]);
    await runCommand('ip', ['link', 'del', outsideVeth]);
    await rm(dir, { recursive: true, force: true });
  });

  it('gives two pods on one bridge IPs in the node CIDR, and they reach each other', async () => {
    pods.a = await node1.setUp({ uid: 'pod-a', namespace: 'default', name: 'a' });
    pods.b = await node1.setUp({ uid: 'pod-b', namespace: 'default', name: 'b' });
    assert.match(pods.a.ip, new RegExp(`^10\\.${second}\\.1\\.\\d+$`));
    assert.notEqual(pods.a.ip, pods.b.ip);
    assert.ok(existsSync(pods.a.netnsPath));
    assert.deepEqual(await node1.setUp({ uid: 'pod-a', namespace: 'default', name: 'a' }), pods.a, 'setUp again returns the same attachment');
    servers.push(await startHttpd(node1.netnsName('pod-b'), `${dir}/www-b`, 'hello from b'));
    assert.equal(await httpGetFrom(node1.netnsName('pod-a'), `http://${pods.b?.ip}:8080/`), 'hello from b');
    assert.equal(await httpGet(pods.b.ip, 8080), 'hello from b', 'host → pod');
  });

  it('routes pod to pod across two "nodes" (two bridges, two /24s) on one machine', async () => {
    pods.c = await node2.setUp({ uid: 'pod-c', namespace: 'default', name: 'c' });
    assert.match(pods.c.ip, new RegExp(`^10\\.${second}\\.2\\.\\d+$`));
    // Both bridges carry their gateway address, so the host has a connected route to each /24: no extra route needed.
    const route = await mustRun('ip', ['route', 'get', pods.c.ip]);
    assert.match(route, new RegExp(`dev ${node2.bridge}`));
    assert.deepEqual(await new PeerRoutes().sync([{ podCidr: subnetAt(cluster, 2), nodeIP: '127.0.0.1' }]), [], 'connected: nothing to add');
    servers.push(await startHttpd(node2.netnsName('pod-c'), `${dir}/www-c`, 'hello from c'));
    assert.equal(await httpGetFrom(node1.netnsName('pod-a'), `http://${pods.c.ip}:8080/`), 'hello from c');
    assert.equal(await httpGetFrom(node2.netnsName('pod-c'), `http://${pods.b?.ip}:8080/`), 'hello from b');
  });

  it('maps a hostPort through portmap, reachable on 127.0.0.1', async () => {
    const hostPort = 20000 + Math.floor(Math.random() * 9000);
    pods.d = await node1.setUp({ uid: 'pod-d', namespace: 'default', name: 'd', hostPorts: [{ hostPort, containerPort: 8080, protocol: 'tcp' }] });
    servers.push(await startHttpd(node1.netnsName('pod-d'), `${dir}/www-d`, 'hello from d'));
    assert.equal(await httpGet('127.0.0.1', hostPort), 'hello from d');
    // An agent restart: a fresh instance tears the pod down from its uid alone (hostPorts come from the state dir).
    const restarted = new CniPodNetwork({ id: `${id}a`, podCidr: subnetAt(cluster, 1), clusterCidr: cluster, stateDir: `${dir}/n1` });
    await restarted.tearDown({ uid: 'pod-d' });
    await assert.rejects(httpGet('127.0.0.1', hostPort, { timeoutMs: 1000 }));
    assert.doesNotMatch((await runCommand('iptables-save', ['-t', 'nat'])).stdout, /id: "pod-d"/);
  });

  it('drops pod traffic to addresses outside the pod network (guard), while the host still reaches them', async () => {
    // A stand-in for "the outside world" that lives entirely on this machine: a netns behind a veth, 198.18.x/30.
    const third = Math.floor(Math.random() * 250);
    await mustRun('ip', ['netns', 'add', outsideNs]);
    await mustRun('ip', ['link', 'add', outsideVeth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', outsideNs]);
    await mustRun('ip', ['addr', 'add', `198.18.${third}.1/30`, 'dev', outsideVeth]);
    await mustRun('ip', ['link', 'set', outsideVeth, 'up']);
    await mustRun('ip', ['netns', 'exec', outsideNs, 'ip', 'addr', 'add', `198.18.${third}.2/30`, 'dev', 'eth0']);
    await mustRun('ip', ['netns', 'exec', outsideNs, 'ip', 'link', 'set', 'eth0', 'up']);
    await mustRun('ip', ['netns', 'exec', outsideNs, 'ip', 'link', 'set', 'lo', 'up']);
    await mustRun('ip', ['netns', 'exec', outsideNs, 'ip', 'route', 'add', 'default', 'via', `198.18.${third}.1`]);
    servers.push(await startHttpd(outsideNs, `${dir}/www-out`, 'outside'));
    assert.equal(await httpGet(`198.18.${third}.2`, 8080), 'outside', 'host reaches the stand-in');
    assert.equal(await httpGetFrom(node1.netnsName('pod-a'), `http://198.18.${third}.2:8080/`, 2000), undefined, 'pod must not');
    const guard = await mustRun('nft', ['list', 'table', 'ip', node1.guardTable]);
    assert.match(guard, /counter packets [1-9]/);
  });

  it('tearDown is idempotent and releases the address', async () => {
    await node1.tearDown({ uid: 'pod-b' });
    await node1.tearDown({ uid: 'pod-b' });
    assert.ok(!(await listNetns()).includes(node1.netnsName('pod-b')));
    const again = await node1.setUp({ uid: 'pod-b2', namespace: 'default', name: 'b2' });
    assert.match(again.ip, new RegExp(`^10\\.${second}\\.1\\.\\d+$`));
  });

  it('measures CNI ADD/DEL latency', async () => {
    const add: number[] = [];
    const del: number[] = [];
    const up: number[] = [];
    const down: number[] = [];
    for (let i = 0; i < 10; i++) {
      let t = performance.now();
      await node2.setUp({ uid: `bench-${i}`, namespace: 'default', name: `bench-${i}` });
      up.push(performance.now() - t);
      add.push(node2.runner.lastTimings.reduce((s, x) => s + x.ms, 0));
      t = performance.now();
      await node2.tearDown({ uid: `bench-${i}` });
      down.push(performance.now() - t);
      del.push(node2.runner.lastTimings.reduce((s, x) => s + x.ms, 0));
    }
    const f = (v: number[]): string => `${median(v).toFixed(1)} ms`;
    console.log(`CNI ADD p50 ${f(add)}, DEL p50 ${f(del)} (plugins only); setUp p50 ${f(up)}, tearDown p50 ${f(down)} (with netns), n=10`);
  });

  it('cleanupAll leaves no netns, veths, bridges, nft tables, CNI chains or IPAM state', async () => {
    const veths = Object.values(pods).map((p) => p.hostVeth).filter((v): v is string => !!v);
    assert.ok(veths.length >= 3);
    for (const s of servers.splice(0)) await stop(s);
    await node1.cleanupAll();
    await node2.cleanupAll();
    await node1.cleanupAll(); // idempotent
    const ns = await listNetns();
    assert.deepEqual(ns.filter((n) => n.startsWith(`mz${id}a`) || n.startsWith(`mz${id}b`)), []);
    const links = await mustRun('ip', ['-o', 'link', 'show']);
    for (const name of [node1.bridge, node2.bridge, ...veths]) assert.ok(!links.includes(` ${name}:`) && !links.includes(` ${name}@`), `${name} left behind`);
    const tables = await mustRun('nft', ['list', 'tables']);
    assert.ok(!tables.includes(node1.guardTable) && !tables.includes(node2.guardTable));
    const nat = (await runCommand('iptables-save', ['-t', 'nat'])).stdout;
    assert.ok(!nat.includes(`minato-${id}`), 'portmap chains of our network left behind');
    assert.ok(!existsSync(`${dir}/n1/ipam`) && !existsSync(`${dir}/n2/ipam`));
    // ip_forward is host-wide: it goes back only when no other pod network (another test file, another agent) still runs.
    const othersRunning = (await readdir('/run/minato-net/ip-forward/users').catch(() => [])).length > 0 || (await mustRun('ip', ['-o', 'link', 'show', 'type', 'bridge_slave'])).trim() !== '';
    if (!othersRunning) assert.equal((await mustRun('sysctl', ['-n', 'net.ipv4.ip_forward'])).trim(), ipForwardBefore);
    assert.ok(!(await mustRun('ip', ['-4', 'route'])).includes(`10.${second}.`));
  });
});

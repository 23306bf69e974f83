/**
 * Two machines, one cluster (root): `minato server` with its in-process node on the host, and a
 * second `minato agent` inside a network namespace joined to the host by a veth pair on a private /30
 * (a second machine as far as the network goes: its own routes, bridge, nftables, iptables and pod
 * namespaces). Proves pod-to-pod traffic across nodes through the agents' peer routes, a ClusterIP
 * whose only endpoint is on the other node, cluster DNS on each node, a hostPort on the second
 * node's address, that pods still cannot reach addresses outside the cluster, and a clean host after.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { issueLeafCert } from '../../src/apiserver/auth/pki-certs.ts';
import { ImageStore } from '../../src/node/images/image-store.ts';
import { listNetns } from '../../src/node/network/cni/host-state.ts';
import { runCommand } from '../../src/node/launcher/run-command.ts';
import { formatIpv4, parseCidr, subnetAt } from '../../src/node/network/ipv4.ts';
import { httpGet, startHttpd, stop } from '../../src/node/network/testing/host.ts';
import { cgroupLeftovers, hostCgroupFs } from '../../src/node/runtime/runc/cgroups.ts';
import { mountsUnder, processesMentioning, runcList } from '../../src/node/runtime/runc/test-support.ts';
import { startAgentCluster, type AgentCluster } from '../support/agent-cluster.ts';
import { waitFor } from '../support/eventually.ts';
import { ok, type Kubectl } from '../support/kubectl.ts';
import type { ServerProcess } from '../support/minato-server.ts';
import { createNetnsMachine, startMachineAgent, type MachineAgent, type NetnsMachine } from '../support/netns-machine.ts';
import { manifestFile } from './e2e-helpers.ts';

const shortId = (nodeName: string) => createHash('sha256').update(nodeName).digest('hex').slice(0, 6);

/** A busybox web server pinned to a node by hostname that answers with its pod name. */
const webPod = (name: string, ns: string, node: string, extraPort = '') => `
apiVersion: v1
kind: Pod
metadata: { name: ${name}, namespace: ${ns}, labels: { app: ${name} } }
spec:
  nodeSelector: { kubernetes.io/hostname: ${node} }
  terminationGracePeriodSeconds: 1
  containers:
    - name: web
      image: minato.local/busybox:1
      command: [sh, -c, "mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 80 -h /www"]
      ports: [{ containerPort: 80${extraPort} }]
      readinessProbe: { tcpSocket: { port: 80 }, periodSeconds: 1 }
---
apiVersion: v1
kind: Service
metadata: { name: ${name}, namespace: ${ns} }
spec:
  selector: { app: ${name} }
  ports: [{ port: 8080, targetPort: 80 }]
`;

describe('two nodes on two network "machines": pod network, Services and DNS across nodes', { timeout: 180_000 }, () => {
  const id = randomBytes(3).toString('hex');
  const node1 = `mn1-${id}`;
  const node2 = `mn2-${id}`;
  const [id1, id2] = [shortId(node1), shortId(node2)];
  const ns = `multi-${id}`;
  const hostPort = 20000 + ((randomBytes(2).readUInt16BE(0) % 20000));
  let dir = '';
  let cluster = '';
  let pod1 = '';
  let pod2 = '';
  let machine: NetnsMachine | undefined;
  let agent2: MachineAgent | undefined;
  let agentCluster: AgentCluster | undefined;
  let server: ServerProcess | undefined;
  let k: Kubectl;
  let m2NetnsInode = '';
  const figures: Record<string, string> = {};

  const exec = (pod: string, cmd: string[]) => k(['-n', ns, 'exec', pod, '--', ...cmd]);
  const podIp = (pod: string) => ok(k, ['-n', ns, 'get', 'pod', pod, '-o', 'jsonpath={.status.podIP}']);
  const wgetFrom = (pod: string, url: string) =>
    waitFor(`${pod} → ${url}`, async () => {
      const r = await exec(pod, ['wget', '-q', '-O', '-', url]);
      return r.code === 0 ? r.stdout.trim() : undefined;
    }, 30_000, 300);

  before(async () => {
    const c = (agentCluster = await startAgentCluster({
      nodeName: node1,
      binaries: ['/usr/bin/nsenter'],
      hostTools: ['iptables-save'],
      // The host's veth end is node 1's address, so that the second machine can reach its API server and pods.
      extraArgs: async () => {
        machine = await createNetnsMachine(id);
        m2NetnsInode = /\d+/.exec((await machine.exec(['readlink', '/proc/self/ns/net'])).stdout)?.[0] ?? '';
        return ['--node-ip', machine.hostIP, '--listen-address', machine.hostIP];
      },
    }));
    ({ dir, clusterCidr: cluster, podCidr: pod1, server } = c);
    pod2 = subnetAt(cluster, 2);
    assert.ok(machine, 'machine 2');
    const tImport = Date.now();
    await new ImageStore({ root: join(dir, 'm2', 'images') }).importArchive(c.layouts.busybox ?? '');
    figures.imagesMs = String(c.timings.imagesMs + Date.now() - tImport);
    figures.serverUpMs = String(c.timings.serverUpMs);
    const t0 = Date.now() - c.timings.serverUpMs;
    // The second machine dials the API server on the host's veth address (a SAN of the serving cert now).
    const admin = await readFile(server.kubeconfig, 'utf8');
    const m2Kubeconfig = join(dir, 'm2.kubeconfig');
    await writeFile(m2Kubeconfig, admin.replace(/server: https:\/\/127\.0\.0\.1:/, `server: https://${machine.hostIP}:`), { mode: 0o600 });
    assert.ok((await readFile(m2Kubeconfig, 'utf8')).includes(machine.hostIP), 'kubeconfig for machine 2 points at the host veth');
    // Its kubelet API (for kubectl exec into its pods) gets a serving cert from the cluster CA, as a joining node would.
    const pki = join(dir, 'server', 'pki');
    const ca = { cert: await readFile(join(pki, 'ca.crt'), 'utf8'), key: await readFile(join(pki, 'ca.key'), 'utf8') };
    const serving = await issueLeafCert(ca, { commonName: node2, usage: 'server', hosts: [machine.machineIP, node2], now: new Date(), validDays: 1 });
    await writeFile(join(dir, 'm2.crt'), serving.cert);
    await writeFile(join(dir, 'm2.key'), serving.key, { mode: 0o600 });
    agent2 = await startMachineAgent(machine, [
      '--kubeconfig', m2Kubeconfig, '--node-name', node2, '--data-dir', join(dir, 'm2'), '--pod-cidr', pod2, '--cluster-cidr', cluster,
      '--node-ip', machine.machineIP, '--tls-cert-file', join(dir, 'm2.crt'), '--tls-private-key-file', join(dir, 'm2.key'), '--port', '0', '--cleanup',
    ]);
    figures.twoNodesUpMs = String(Date.now() - t0);
    k = c.k;
    await ok(k, ['create', 'namespace', ns]);
  });

  after(async () => {
    process.stderr.write(`multi-node figures: ${JSON.stringify(figures)}\n`);
    await agent2?.stop();
    await agentCluster?.close();
    await machine?.destroy();
  });

  it('has two Ready nodes with their own pod CIDRs and InternalIPs (kubectl get nodes -o wide)', async () => {
    assert.ok(machine);
    const cidrs = await waitFor('both nodes Ready', async () => {
      const out = await ok(k, ['get', 'nodes', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.spec.podCIDR}={.status.conditions[?(@.type=="Ready")].status}{"\\n"}{end}']);
      const lines = out.trim().split('\n').sort();
      return lines.length === 2 && lines.every((l) => l.endsWith('=True')) ? lines : undefined;
    });
    assert.deepEqual(cidrs, [`${node1}=${pod1}=True`, `${node2}=${pod2}=True`]);
    const wide = await ok(k, ['get', 'nodes', '-o', 'wide']);
    assert.match(wide, /INTERNAL-IP/);
    assert.match(wide, new RegExp(`${node1}\\s+Ready\\s+\\S+\\s+\\S+\\s+\\S+\\s+${machine.hostIP.replaceAll('.', '\\.')}\\s`), wide);
    assert.match(wide, new RegExp(`${node2}\\s+Ready\\s+\\S+\\s+\\S+\\s+\\S+\\s+${machine.machineIP.replaceAll('.', '\\.')}\\s`), wide);
  });

  it('routes each node\'s pod CIDR via the other node\'s IP, on both machines', async () => {
    assert.ok(machine);
    const m = machine;
    const onHost = await waitFor('route on the host', async () => (await runCommand('ip', ['route', 'show', pod2])).stdout.trim() || undefined);
    assert.match(onHost, new RegExp(`^${pod2.replace('/', '\\/')} via ${m.machineIP} dev ${m.hostIf}`));
    const onM2 = await waitFor('route on machine 2', async () => (await m.exec(['ip', 'route', 'show', pod1])).stdout.trim() || undefined);
    assert.match(onM2, new RegExp(`^${pod1.replace('/', '\\/')} via ${m.hostIP} dev ${m.machineIf}`));
  });

  it('carries pod-to-pod traffic across the nodes both ways', async () => {
    const t0 = Date.now();
    await ok(k, ['apply', '-f', manifestFile(webPod('web1', ns, node1) + '---' + webPod('web2', ns, node2, `, hostPort: ${hostPort}`))]);
    await ok(k, ['-n', ns, 'wait', '--for=condition=Ready', 'pod/web1', 'pod/web2', '--timeout=90s']);
    figures.podsReadyMs = String(Date.now() - t0);
    const wide = await ok(k, ['-n', ns, 'get', 'pods', '-o', 'wide']);
    const [ip1, ip2] = [await podIp('web1'), await podIp('web2')];
    assert.ok(ip1.startsWith(pod1.replace(/0\/24$/, '')) && ip2.startsWith(pod2.replace(/0\/24$/, '')), wide);
    assert.match(wide, new RegExp(`web1\\s+1/1\\s+Running.*${ip1}\\s+${node1}`), wide);
    assert.match(wide, new RegExp(`web2\\s+1/1\\s+Running.*${ip2}\\s+${node2}`), wide);
    assert.equal(await wgetFrom('web1', `http://${ip2}/`), 'web2');
    assert.equal(await wgetFrom('web2', `http://${ip1}/`), 'web1');
    // nc too, as the issue asks: a raw TCP exchange from node 2's pod to node 1's.
    const nc = await exec('web2', ['sh', '-c', `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc ${ip1} 80`]);
    assert.match(nc.stdout, /200 OK[\s\S]*web1/, nc.stderr);
  });

  it('reaches a ClusterIP whose only endpoint is on the other node, by name, from both sides', async () => {
    // Node 1's proxy DNATs to node 2's pod and back; the name comes from node 1's DNS.
    assert.equal(await wgetFrom('web1', `http://web2.${ns}.svc.cluster.local:8080/`), 'web2');
    assert.equal(await wgetFrom('web2', `http://web1.${ns}.svc.cluster.local:8080/`), 'web1');
  });

  it('serves cluster DNS to node 2\'s pods from node 2\'s agent on its bridge gateway', async () => {
    const gateway2 = formatIpv4(parseCidr(pod2).base + 1);
    const resolv = await ok(k, ['-n', ns, 'exec', 'web2', '--', 'cat', '/etc/resolv.conf']);
    assert.match(resolv, new RegExp(`^nameserver ${gateway2.replaceAll('.', '\\.')}$`, 'm'), resolv);
    const clusterIp = await ok(k, ['-n', ns, 'get', 'svc', 'web1', '-o', 'jsonpath={.spec.clusterIP}']);
    const lookup = await exec('web2', ['nslookup', `web1.${ns}.svc.cluster.local`]);
    assert.ok(lookup.stdout.includes(gateway2) && lookup.stdout.includes(clusterIp), `${lookup.stdout}${lookup.stderr}`);
  });

  it('answers node 2\'s hostPort on its node IP from the host', async () => {
    assert.ok(machine);
    const m = machine;
    assert.equal(await waitFor('hostPort on node 2', () => httpGet(m.machineIP, hostPort)), 'web2');
    const rules = (await m.exec(['iptables-save', '-t', 'nat'])).stdout;
    assert.match(rules, new RegExp(`--dport ${hostPort} .*-j DNAT --to-destination ${(await podIp('web2')).replaceAll('.', '\\.')}:80`), 'portmap DNAT on machine 2');
  });

  it('still drops pod traffic to addresses outside the cluster, though the host reaches them', async () => {
    assert.ok(machine);
    const m = machine;
    const outside = await startHttpd(m.netns, join(dir, 'outside'), 'outside', 8090);
    try {
      assert.equal(await httpGet(m.machineIP, 8090), 'outside', 'the host reaches the server on machine 2');
      const guard = `minato-net-${id1}`;
      const dropped = async () => Number(/counter packets (\d+)/.exec((await runCommand('nft', ['list', 'table', 'ip', guard])).stdout)?.[1] ?? 'NaN');
      const before = await dropped();
      const r = await exec('web1', ['timeout', '3', 'wget', '-q', '-O', '-', `http://${m.machineIP}:8090/`]);
      assert.notEqual(r.code, 0, `web1 must not reach ${m.machineIP}: ${r.stdout}`);
      assert.ok((await dropped()) > before, 'the egress guard dropped the attempt');
    } finally {
      await stop(outside);
    }
  });

  it('deletes everything, stops both nodes with cleanup, and leaves the host clean', async () => {
    assert.ok(machine && agent2 && server);
    const m = machine;
    await ok(k, ['delete', 'namespace', ns, '--timeout=90s']);
    assert.equal(await agent2.stop(), 0, agent2.logs().slice(-4000));
    const m2Left = {
      routes: (await m.exec(['ip', 'route', 'show', 'table', 'all'])).stdout.split('\n').filter((l) => l.includes(cluster.replace(/0\.0\/16$/, ''))),
      nftTables: (await m.exec(['nft', 'list', 'tables'])).stdout.split('\n').filter(Boolean),
      hostPortRules: (await m.exec(['iptables-save'])).stdout.split('\n').filter((l) => l.includes(String(hostPort)) || l.includes('CNI-')),
    };
    assert.deepEqual(m2Left, { routes: [], nftTables: [], hostPortRules: [] });
    assert.equal(await server.stop(), 0, server.logs().slice(-4000));
    await m.destroy();
    const prefix = cluster.replace(/0\.0\/16$/, '');
    const tables = (await runCommand('nft', ['list', 'tables'])).stdout;
    const ruleset = (await runCommand('iptables-save', [])).stdout;
    const leftovers = {
      routes: (await runCommand('ip', ['route', 'show', 'table', 'all'])).stdout.split('\n').filter((l) => l.includes(prefix) || l.includes(m.hostIP)),
      netns: (await listNetns()).filter((n) => n === m.netns || n.startsWith(`mz${id1}`) || n.startsWith(`mz${id2}`)),
      links: (await runCommand('ip', ['-o', 'link'])).stdout.split('\n').filter((l) => l.includes(m.hostIf) || l.includes(`mz${id1}br`) || l.includes(`mz${id2}br`)),
      nftTables: tables.split('\n').filter((l) => l.includes(id1) || l.includes(id2)),
      iptables: ruleset.split('\n').filter((l) => l.includes(prefix) || l.includes(`--dport ${hostPort} `)),
      cgroups: [...(await cgroupLeftovers(hostCgroupFs, `/minato-${id1}`)), ...(await cgroupLeftovers(hostCgroupFs, `/minato-${id2}`))],
      mounts: await mountsUnder(dir),
      runc: [...runcList(join(dir, 'server', 'agent', 'runc', 'runc')), ...runcList(join(dir, 'm2', 'runc', 'runc'))],
      processes: (await processesMentioning(dir)).map(String),
      ipForwardRecords: existsSync(`/run/minato-net/ip-forward-netns-${m2NetnsInode}`) ? [m2NetnsInode] : [],
    };
    assert.deepEqual(leftovers, { routes: [], netns: [], links: [], nftTables: [], iptables: [], cgroups: [], mounts: [], runc: [], processes: [], ipForwardRecords: [] });
    machine = undefined;
  });
});

/**
 * `npm run bench:service` (root): the data path of a Service on `minato server`'s real node. Two
 * pods (a tiny Node.js HTTP server in the `node` base image) behind a LoadBalancer Service; Debian's
 * `wrk` loads them from the host, with fixed connections, straight to the pod IPs, through the
 * ClusterIP (the proxy DNATs host-originated traffic in its nat output chain), the LoadBalancer IP,
 * the NodePort, and nginx as a TCP stream proxy (the userspace reference). Two modes, same run:
 * HTTP/1.1 keep-alive (measures forwarding itself: DNAT is per connection, then the conntrack fast
 * path) and a new connection per request. Paths and modes are interleaved, repeated, and the median
 * of the repeats printed. Target: Service paths ≥ 0.9× direct.
 *
 * Each path reaches its own pod port: with a new connection per request the pods hold closed
 * connections in TIME_WAIT, and a reused 4-tuple is only accepted when its SYN's TCP timestamp is
 * newer — true within one path (one client address pair, one timestamp offset), not across paths,
 * which used to cost ~1 s SYN retransmits. Separate ports keep the paths' 4-tuples apart without
 * touching host sysctls.
 */
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import net from 'node:net';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { ok } from '../../test/support/kubectl.ts';
import { waitFor } from '../../test/support/eventually.ts';
import { manifestFile } from '../../test/e2e/e2e-helpers.ts';
import { machine, startAgentCluster } from '../support/agent-server.ts';
import { runWrk, type WrkResult } from './wrk.ts';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const THREADS = 2;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const NGINX = '/usr/sbin/nginx';
const STREAM_MODULE = '/usr/lib/nginx/modules/ngx_stream_module.so';
/** Pod port per path: direct, ClusterIP, LoadBalancer, NodePort, nginx. */
const PORTS = { direct: 8080, clusterIP: 8081, lb: 8082, nodePort: 8083, nginx: 8084 };

const SERVER = `const http = require('http');
for (const p of ${JSON.stringify(Object.values(PORTS))}) http.createServer((q, s) => s.end('hello\\n')).listen(p);`;

const MANIFEST = `
apiVersion: v1
kind: Namespace
metadata: { name: bench-svc }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: bench-svc }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      terminationGracePeriodSeconds: 1
      containers:
        - name: web
          image: minato.local/node:20
          command: [node, -e, ${JSON.stringify(SERVER)}]
          readinessProbe: { tcpSocket: { port: ${PORTS.direct} }, periodSeconds: 1 }
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: bench-svc }
spec:
  type: LoadBalancer
  selector: { app: web }
  ports:
    - { name: cluster, port: 80, targetPort: ${PORTS.clusterIP} }
    - { name: lb, port: 81, targetPort: ${PORTS.lb} }
    - { name: node, port: 82, targetPort: ${PORTS.nodePort} }
`;

interface Path {
  label: string;
  targets: string[];
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

/** nginx (Debian's nginx-light + libnginx-mod-stream) as a TCP stream proxy in front of both pods. */
async function startNginx(dir: string, podIps: string[]): Promise<{ port: number; stop(): Promise<void> }> {
  const conf = join(dir, 'nginx.conf');
  const port = await freePort();
  await writeFile(conf, [
    `load_module ${STREAM_MODULE};`,
    'daemon off;',
    'worker_processes auto;',
    `pid ${join(dir, 'nginx.pid')};`,
    `error_log ${join(dir, 'nginx-error.log')} warn;`,
    'events { worker_connections 4096; }',
    `stream { upstream pods { ${podIps.map((ip) => `server ${ip}:${PORTS.nginx};`).join(' ')} } server { listen 127.0.0.1:${port}; proxy_pass pods; } }`,
  ].join('\n'));
  const child = spawn(NGINX, ['-e', join(dir, 'nginx-error.log'), '-p', dir, '-c', conf], { stdio: 'ignore' });
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGQUIT');
    await exited;
  };
  try {
    await waitFor('nginx listening', () => new Promise<true>((resolve, reject) => net.connect(port, '127.0.0.1').once('connect', function (this: net.Socket) {
      this.destroy();
      resolve(true);
    }).once('error', reject)), 10_000);
  } catch (e) {
    await stop();
    throw e;
  }
  return { port, stop };
}

/**
 * Median req/s, latencies and — because the machine is shared and its load drifts — the median of
 * the per-round ratios to the direct run of the same round.
 */
function printMode(title: string, paths: Path[], results: WrkResult[][]): void {
  const direct = results[0] ?? [];
  console.log(`\n${title}`);
  for (const [i, p] of paths.entries()) {
    const rs = results[i] ?? [];
    const rps = rs.map((r) => r.requestsPerSecond);
    const ratio = median(rs.map((r, round) => r.requestsPerSecond / (direct[round]?.requestsPerSecond ?? Number.NaN)));
    const errors = rs.reduce((a, r) => a + r.errors, 0);
    console.log(
      `  ${p.label.padEnd(40)} ${median(rps).toFixed(0).padStart(6)} req/s (${Math.min(...rps).toFixed(0)}–${Math.max(...rps).toFixed(0)})` +
        `   p50 ${median(rs.map((r) => r.p50Ms)).toFixed(2).padStart(5)} ms   p99 ${median(rs.map((r) => r.p99Ms)).toFixed(1).padStart(5)} ms` +
        `   max ${median(rs.map((r) => r.maxMs)).toFixed(0).padStart(4)} ms   ${ratio.toFixed(2)}× direct${errors ? `   errors ${errors}` : ''}`,
    );
  }
}

console.log(`machine: ${machine()}`);
const cluster = await startAgentCluster({ baseImages: ['node'] });
let nginx: Awaited<ReturnType<typeof startNginx>> | undefined;
try {
  const { k } = cluster;
  await ok(k, ['apply', '-f', manifestFile(MANIFEST)]);
  await ok(k, ['-n', 'bench-svc', 'rollout', 'status', 'deployment/web', '--timeout=120s']);
  const podIps = (await ok(k, ['-n', 'bench-svc', 'get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[*].status.podIP}'])).split(' ').filter(Boolean);
  if (podIps.length !== 2) throw new Error(`expected 2 pod IPs, got ${podIps.join(',')}`);
  const svc = (path: string) => ok(k, ['-n', 'bench-svc', 'get', 'svc', 'web', '-o', `jsonpath={${path}}`]);
  const clusterIp = await svc('.spec.clusterIP');
  const nodePort = await svc('.spec.ports[2].nodePort');
  const lbIp = await waitFor('LoadBalancer IP', async () => (await svc('.status.loadBalancer.ingress[0].ip')) || undefined, 60_000);
  if (!process.env.BENCH_NO_NGINX) nginx = await startNginx(cluster.dir, podIps);

  const paths: Path[] = [
    { label: 'direct to the 2 pod IPs', targets: podIps.map((ip) => `${ip}:${PORTS.direct}`) },
    { label: `ClusterIP ${clusterIp}:80 from the host`, targets: [`${clusterIp}:80`] },
    { label: `LoadBalancer IP ${lbIp}:81`, targets: [`${lbIp}:81`] },
    { label: `NodePort 127.0.0.1:${nodePort}`, targets: [`127.0.0.1:${nodePort}`] },
    ...(nginx ? [{ label: `nginx stream proxy 127.0.0.1:${nginx.port}`, targets: [`127.0.0.1:${nginx.port}`] }] : []),
  ];
  const scriptFile = join(cluster.dir, 'targets.lua');
  // Every path answers (both endpoints programmed: the EndpointSlice follows readiness) before measuring.
  for (const p of paths) {
    await waitFor(`${p.label} answers`, async () => ((await runWrk({ targets: p.targets, connections: 2, threads: THREADS, seconds: 1, closeEach: true, scriptFile })).errors === 0 ? true : undefined), 60_000, 500);
  }
  const modes = [
    { closeEach: false, title: `HTTP/1.1 keep-alive, wrk ${THREADS} threads × ${CONNECTIONS} connections, median of ${ROUNDS} interleaved ${SECONDS} s runs per path:` },
    { closeEach: true, title: `New connection per request (Connection: close), wrk ${THREADS} threads × ${CONNECTIONS} connections, median of ${ROUNDS} interleaved ${SECONDS} s runs per path:` },
  ];
  const results = modes.map(() => paths.map((): WrkResult[] => []));
  const loadBefore = loadavg();
  // Round 0 warms up (the servers' JIT, conntrack, nginx workers) and is not counted.
  for (let round = -1; round < ROUNDS; round++) {
    for (const [m, mode] of modes.entries()) {
      for (const [i, p] of paths.entries()) {
        const r = await runWrk({ targets: p.targets, connections: CONNECTIONS, threads: THREADS, seconds: round < 0 ? 1 : SECONDS, closeEach: mode.closeEach, scriptFile });
        if (round >= 0) results[m]?.[i]?.push(r);
      }
    }
  }
  console.log(`\nService data path: 2 pods (Node.js http server, minato.local/node:20), load from the host by wrk (Debian 4.1.0); 1/5/15-min load average before ${loadBefore.map((l) => l.toFixed(1)).join(' ')}, after ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  for (const [m, mode] of modes.entries()) printMode(mode.title, paths, results[m] ?? []);
  console.log(`  (req/s: median and range of the runs; ratio: median over rounds of path ÷ direct in the same round; target: Service paths ≥ 0.90× direct${nginx ? '; nginx-light + libnginx-mod-stream, stream proxy_pass, round robin' : ''})`);
  await ok(k, ['delete', 'namespace', 'bench-svc', '--timeout=90s']);
} finally {
  await nginx?.stop();
  await cluster.close();
}

/**
 * `npm run bench:service` (root): the data path of a Service on `minato server`'s real node. Two
 * busybox httpd pods behind a LoadBalancer Service (it has a ClusterIP too); from the host, N
 * concurrent connection-per-request HTTP/1.0 GETs for a few seconds each, straight to the pod IPs
 * (round robin), through the LoadBalancer IP, through the ClusterIP (the proxy DNATs
 * host-originated traffic in its nat output chain), and through nginx as a TCP stream proxy in
 * front of the same two pods — the userspace reference. Target: Service paths ≥ 0.9× direct.
 */
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import net from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ok } from '../../test/support/kubectl.ts';
import { manifestFile } from '../../test/e2e/e2e-helpers.ts';
import { machine, startAgentCluster } from '../support/agent-server.ts';
import { summarize, type Summary } from '../support/stats.ts';

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const NGINX = '/usr/sbin/nginx';
const STREAM_MODULE = '/usr/lib/nginx/modules/ngx_stream_module.so';

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
        - name: httpd
          image: minato.local/busybox:1
          command: ["sh", "-c", "mkdir -p /www && echo hello > /www/index.html && exec httpd -f -p 8080 -h /www"]
          ports: [{ containerPort: 8080, name: http }]
          readinessProbe: { tcpSocket: { port: http }, periodSeconds: 1 }
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: bench-svc }
spec:
  type: LoadBalancer
  selector: { app: web }
  ports: [{ name: http, port: 80, targetPort: http }]
`;

/** One HTTP/1.0 GET on a fresh connection; resolves when the server closes it after a 200. */
function get(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host, port });
    let head = '';
    s.setTimeout(5000, () => s.destroy(new Error(`${host}:${port}: timeout`)));
    s.on('connect', () => s.write(`GET / HTTP/1.0\r\nHost: ${host}\r\n\r\n`));
    s.on('data', (c: Buffer) => {
      if (head.length < 16) head += c.toString('latin1');
    });
    s.on('end', () => (head.startsWith('HTTP/1.0 200') || head.startsWith('HTTP/1.1 200') ? resolve() : reject(new Error(`${host}:${port}: ${head.slice(0, 40)}`))));
    s.on('error', reject);
  });
}

interface Tally {
  samples: number[];
  errors: number;
  seconds: number;
}
type Row = Summary & { errors: number; slow: number };

/** `CONCURRENCY` closed-loop workers for `seconds`, adding to `tally`; `target(i)` picks the address of request i. */
async function load(tally: Tally, seconds: number, target: (i: number) => [string, number]): Promise<void> {
  let n = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < end) {
        const [host, port] = target(n++);
        const t = performance.now();
        try {
          await get(host, port);
          tally.samples.push(performance.now() - t);
        } catch {
          tally.errors++;
        }
      }
    }),
  );
  tally.seconds += (performance.now() - start) / 1000;
}

/** Requests over 900 ms are SYN retransmits (a dropped connection attempt), not slow servers. */
const row = (t: Tally): Row => ({ ...summarize(t.samples, t.seconds), errors: t.errors, slow: t.samples.filter((v) => v > 900).length });

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

async function eventually<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

console.log(`machine: ${machine()}`);
const cluster = await startAgentCluster();
let nginx: ReturnType<typeof spawn> | undefined;
try {
  const { k } = cluster;
  await ok(k, ['apply', '-f', manifestFile(MANIFEST)]);
  await ok(k, ['-n', 'bench-svc', 'rollout', 'status', 'deployment/web', '--timeout=120s']);
  const podIps = (await ok(k, ['-n', 'bench-svc', 'get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[*].status.podIP}'])).split(' ').filter(Boolean);
  if (podIps.length !== 2) throw new Error(`expected 2 pod IPs, got ${podIps.join(',')}`);
  const clusterIp = await ok(k, ['-n', 'bench-svc', 'get', 'svc', 'web', '-o', 'jsonpath={.spec.clusterIP}']);
  const lbIp = await eventually('LoadBalancer IP', async () => (await ok(k, ['-n', 'bench-svc', 'get', 'svc', 'web', '-o', 'jsonpath={.status.loadBalancer.ingress[0].ip}'])) || undefined);
  // Both endpoints programmed before measuring (the EndpointSlice follows readiness).
  await eventually('service answers', async () => ((await get(clusterIp, 80), await get(lbIp, 80)), true));

  let nginxPort = 0;
  let nginxNote = '';
  if (!process.env.BENCH_NO_NGINX) {
    const conf = join(cluster.dir, 'nginx.conf');
    nginxPort = await freePort();
    await writeFile(conf, [
      `load_module ${STREAM_MODULE};`,
      'daemon off;',
      'worker_processes auto;',
      `pid ${join(cluster.dir, 'nginx.pid')};`,
      `error_log ${join(cluster.dir, 'nginx-error.log')} warn;`,
      'events { worker_connections 4096; }',
      `stream { upstream pods { ${podIps.map((ip) => `server ${ip}:8080;`).join(' ')} } server { listen 127.0.0.1:${nginxPort}; proxy_pass pods; } }`,
    ].join('\n'));
    nginx = spawn(NGINX, ['-e', join(cluster.dir, 'nginx-error.log'), '-p', cluster.dir, '-c', conf], { stdio: 'ignore' });
    await eventually('nginx listening', () => get('127.0.0.1', nginxPort).then(() => true), 10_000);
    nginxNote = ' (nginx-light + libnginx-mod-stream, stream proxy_pass, round robin)';
  }

  const paths: Array<[string, (i: number) => [string, number]]> = [
    ['direct to the pod IPs (round robin)', (i) => [podIps[i % 2]!, 8080]],
    [`LoadBalancer IP ${lbIp}:80`, () => [lbIp, 80]],
    [`ClusterIP ${clusterIp}:80 from the host`, () => [clusterIp, 80]],
    ...(nginxPort ? [[`nginx stream proxy 127.0.0.1:${nginxPort}`, () => ['127.0.0.1', nginxPort]] as [string, (i: number) => [string, number]]] : []),
  ];
  // Interleaved 1 s rounds: every path connects from the host's bridge address to the same pod
  // ports, and HTTP/1.0 leaves each closed connection in TIME_WAIT inside the pod, so whichever
  // path ran later would meet more reused 4-tuples (SYN → challenge ACK → 1 s retransmit).
  const tallies = paths.map((): Tally => ({ samples: [], errors: 0, seconds: 0 }));
  for (let round = 0; round < SECONDS; round++) {
    for (const [i, [, target]] of paths.entries()) await load(tallies[i]!, 1, target);
  }
  const rows = paths.map(([label], i): [string, Row] => [label, row(tallies[i]!)]);

  const direct = rows[0]![1].perSecond;
  console.log(`\nService data path, ${CONCURRENCY} concurrent HTTP/1.0 GETs (new connection each), ${SECONDS} × 1 s interleaved per path, busybox httpd ×2:`);
  for (const [label, s] of rows) {
    console.log(`  ${label.padEnd(44)} ${s.perSecond.toFixed(0).padStart(6)} req/s   p50 ${s.p50.toFixed(2).padStart(6)} ms   p99 ${s.p99.toFixed(2).padStart(6)} ms   max ${s.max.toFixed(0).padStart(5)} ms   ${(s.perSecond / direct).toFixed(2)}× direct${s.errors ? `   errors ${s.errors}` : ''}${s.slow ? `   >900 ms ${s.slow}` : ''}`);
  }
  console.log(`  (target: Service paths ≥ 0.90× direct)${nginxNote}`);
  await ok(k, ['delete', 'namespace', 'bench-svc', '--timeout=90s']);
} finally {
  if (nginx && nginx.exitCode === null) {
    const exited = new Promise((r) => nginx?.once('exit', r));
    nginx.kill('SIGQUIT');
    await exited;
  }
  await cluster.close();
}

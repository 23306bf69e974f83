/**
 * `npm run bench:scale`: time until 5000 simulated nodes are Ready and 50k pods Running, and the
 * RSS of each process. The control plane is `minato server` as shipped (API server, controllers
 * and scheduler in one process, SQLite store unless BENCH_STORE says otherwise); the simulated
 * nodes are `minato sim-nodes` in a second process; this process creates the pods and watches.
 * kwok's CI reference: 5000 nodes Ready ≤ 60 s, 10k pods Running ≤ 60 s.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Node } from 'kubernetes-types/core/v1.js';
import { connectionFromKubeconfig } from '../../src/client/connection.ts';
import { KubeClient } from '../../src/client/kube-client.ts';
import { R } from '../../src/client/resource-ref.ts';
import { REPO_ROOT, startServerProcess } from '../../test/support/minato-server.ts';
import { benchPod, cpuSeconds, inParallel, machine, peakRss, PodCounter } from '../support/cluster-bench.ts';

const NODES = Number(process.env.BENCH_NODES ?? 5000);
const PODS = Number(process.env.BENCH_PODS ?? 50_000);
const NAMESPACES = 5;
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Counts Ready nodes from one watch; resolves `when(n)` at the first moment n are Ready. */
function readyNodes(client: KubeClient, signal: AbortSignal, t0: number) {
  const ready = new Set<string>();
  const waiters: Array<{ n: number; resolve: (ms: number) => void }> = [];
  void client.watch<Node>(R.nodes, { resourceVersion: '0', timeoutSeconds: 3600 }, (e) => {
    const name = e.object.metadata?.name ?? '';
    if (e.type === 'DELETED') ready.delete(name);
    else if (e.object.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) ready.add(name);
    for (const w of waiters.splice(0)) {
      if (ready.size >= w.n) w.resolve(performance.now() - t0);
      else waiters.push(w);
    }
  }, signal);
  return { when: (n: number) => new Promise<number>((resolve) => waiters.push({ n, resolve })) };
}

const server = await startServerProcess({ store: process.env.BENCH_STORE });
const client = new KubeClient(await connectionFromKubeconfig(server.kubeconfig), 'bench', 64);
const abort = new AbortController();
const t0 = performance.now();
const sim = spawn(process.execPath, [join(REPO_ROOT, 'bin/minato.js'), 'sim-nodes', '--kubeconfig', server.kubeconfig, '--count', String(NODES), '--zones', '3', '--name-prefix', 'scale-node-'], { stdio: ['ignore', 'ignore', 'pipe'] });
let simErrors = 0;
sim.stderr?.on('data', (c: Buffer) => (simErrors += c.toString().split('\n').filter((l) => l.includes('failed')).length));
const rss = peakRss({ 'control plane (minato server)': server.child.pid, 'simulated nodes (minato sim-nodes)': sim.pid, 'bench (pod creator + watches)': process.pid });
try {
  console.log(`machine: ${machine()}; store: ${process.env.BENCH_STORE ?? 'sqlite (default)'}; ${NODES} nodes, ${PODS} pods`);
  const nodesReady = await readyNodes(client, abort.signal, t0).when(NODES);
  console.log(`${NODES} simulated nodes Ready after ${secs(nodesReady)}`);
  for (let i = 0; i < NAMESPACES; i++) await client.create(R.namespaces, { metadata: { name: `scale-${i}` } });
  const start = performance.now();
  const cpu0 = cpuSeconds(server.child.pid);
  const counter = new PodCounter(() => performance.now() - start);
  void counter.run(client, abort.signal);
  const marks = [...new Set([Math.min(10_000, PODS), PODS])].map((n) => counter.when('running', n).then((ms) => console.log(`${n} pods Running after ${secs(ms)} (from the first create)`)));
  await inParallel(PODS, 32, async (i) => void (await client.create(R.pods, benchPod(`scale-${i % NAMESPACES}`, `pod-${i}`))));
  console.log(`${PODS} pods created after ${secs(performance.now() - start)}`);
  await Promise.all(marks);
  console.log(`control-plane cpu during the pod phase: ${(cpuSeconds(server.child.pid) - cpu0).toFixed(1)} s; sim-nodes write errors: ${simErrors}`);
} finally {
  const peak = rss.stop();
  for (const [name, mb] of Object.entries(peak)) console.log(`peak RSS ${name}: ${mb} MiB`);
  abort.abort();
  sim.kill('SIGTERM');
  client.close();
  await server.dispose();
}
process.exit(0);

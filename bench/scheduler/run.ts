/**
 * `npm run bench:scheduler`: scheduling throughput (pods/s) for 10k pods onto 1000 nodes, with the
 * API server in its own process (SQLite store by default; BENCH_STORE=etcd://… or memory://).
 * Nodes are registered directly (no kubelet writes compete); the scheduler runs in this process,
 * as upstream's scheduler_perf measures it. Target ≥ 1000 pods/s (upstream requires ≥ 680 at 5k nodes).
 */
import { performance } from 'node:perf_hooks';
import { connectionFromKubeconfig } from '../../src/client/connection.ts';
import { KubeClient } from '../../src/client/kube-client.ts';
import { R } from '../../src/client/resource-ref.ts';
import { DEFAULT_SHAPE, simulatedNode } from '../../src/node/simulated/node-template.ts';
import { runScheduler } from '../../src/scheduler/scheduler.ts';
import { startServerProcess } from '../../test/support/minato-server.ts';
import { benchPod, cpuSeconds, inParallel, machine, peakRss, PodCounter } from '../support/cluster-bench.ts';

const NODES = Number(process.env.BENCH_NODES ?? 1000);
const PODS = Number(process.env.BENCH_PODS ?? 10_000);
const NS = 'bench-scheduler';

// Controllers and the in-process scheduler off: the scheduler under test runs here, alone.
const server = await startServerProcess({ store: process.env.BENCH_STORE, extraArgs: ['--disable-controllers'] });
const client = new KubeClient(await connectionFromKubeconfig(server.kubeconfig), 'bench', 64);
const abort = new AbortController();
const rss = peakRss({ apiserver: server.child.pid, 'scheduler (this process)': process.pid });
try {
  console.log(`machine: ${machine()}; store: ${process.env.BENCH_STORE ?? 'sqlite (default)'}`);
  let t = performance.now();
  const zones = ['zone-a', 'zone-b', 'zone-c'];
  await inParallel(NODES, 32, async (i) => void (await client.create(R.nodes, simulatedNode(`bench-node-${i}`, i, zones[i % 3] as string, DEFAULT_SHAPE, new Date()))));
  console.log(`registered ${NODES} nodes in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  await client.create(R.namespaces, { metadata: { name: NS } });
  t = performance.now();
  await inParallel(PODS, 32, async (i) => void (await client.create(R.pods, benchPod(NS, `pod-${i}`))));
  const createSeconds = (performance.now() - t) / 1000;
  console.log(`created ${PODS} pending pods in ${createSeconds.toFixed(1)} s (${Math.round(PODS / createSeconds)} creates/s)`);

  const cpu0 = { server: cpuSeconds(server.child.pid), self: cpuSeconds(process.pid) };
  const start = performance.now();
  const counter = new PodCounter(() => performance.now() - start);
  void counter.run(client, abort.signal);
  void runScheduler({ client: new KubeClient(await connectionFromKubeconfig(server.kubeconfig), 'minato-scheduler', 64), leaderElection: false, log: (m, f) => m !== 'scheduler started' && console.error(m, f) }, abort.signal);
  const tenth = await counter.when('bound', Math.floor(PODS / 10));
  const all = await counter.when('bound', PODS);
  const seconds = (all - tenth) / 1000;
  console.log(`scheduled ${PODS} pods onto ${NODES} nodes: all bound after ${(all / 1000).toFixed(1)} s (informer sync included)`);
  console.log(`cpu while scheduling: apiserver ${(cpuSeconds(server.child.pid) - cpu0.server).toFixed(1)} s, scheduler process ${(cpuSeconds(process.pid) - cpu0.self).toFixed(1)} s`);
  console.log(`throughput (10%→100% bound): ${Math.round((PODS - Math.floor(PODS / 10)) / seconds)} pods/s; overall ${Math.round(PODS / (all / 1000))} pods/s`);
} finally {
  const peak = rss.stop();
  for (const [name, mb] of Object.entries(peak)) console.log(`peak RSS ${name}: ${mb} MiB`);
  abort.abort();
  client.close();
  await server.dispose();
}
process.exit(0);

/**
 * `npm run bench:pod-startup` (root): 100 busybox pods created at once on the one real node of
 * `minato server` (runc containers, CNI bridge network); per pod, the time from its create request
 * to the first watch event that shows it Running, then the teardown time of deleting them all.
 * Upstream SLO: p99 ≤ 5 s for stateless pods with pre-pulled images.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { runcList } from '../../src/node/runtime/runc/test-support.ts';
import { apiClient } from '../support/api-client.ts';
import { machine, startAgentCluster } from '../support/agent-server.ts';
import { summarize } from '../support/stats.ts';
import { accountCpu } from '../support/cpu-account.ts';

const PODS = Number(process.env.BENCH_PODS ?? 100);
const NS = 'bench-startup';
const ms = (v: number) => `${v.toFixed(0)} ms`;

const pod = (name: string): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, labels: { bench: 'startup' } },
  spec: {
    // `sleep` as PID 1 ignores SIGTERM, so the grace period is what teardown waits for: keep it short.
    terminationGracePeriodSeconds: 1,
    restartPolicy: 'Always',
    containers: [{ name: 'main', image: 'minato.local/busybox:1', imagePullPolicy: 'IfNotPresent', command: ['sleep', '3600'] }],
  },
});

/** Busy and total jiffies of the whole machine (all cores), from /proc/stat. */
function cpuTicks(): { busy: number; total: number } {
  const f = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
  const total = f.reduce((a, b) => a + b, 0);
  return { busy: total - (f[3] ?? 0) - (f[4] ?? 0), total };
}
/** utime, stime, cutime, cstime (ticks) of one process: its own CPU and that of the children it reaped (runc, CNI plugins). */
function processTicks(pid: number | undefined): number[] {
  if (pid === undefined) return [0, 0, 0, 0];
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ').slice(11, 15).map(Number);
}
const phaseLine = (label: string, values: number[]) => {
  const s = summarize(values.filter((v) => !Number.isNaN(v)), 1);
  return `  ${label.padEnd(34)}p50 ${ms(s.p50)}   p99 ${ms(s.p99)}   max ${ms(s.max)}`;
};

console.log(`machine: ${machine()}`);
const cluster = await startAgentCluster();
const account = await accountCpu(`minato-bench-${process.pid}`, cluster.server.child.pid ?? 0);
try {
  const api = apiClient(cluster.server.kubeconfig, 32);
  const ns = await api.call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  if (ns.status !== 201) throw new Error(`namespace: ${ns.status} ${ns.body}`);
  const created = new Map<string, number>();
  const running = new Map<string, number>();
  const deleted = new Map<string, number>();
  const bound = new Map<string, number>();
  const agentSaw = new Map<string, number>();
  let onChange = () => {};
  const stopWatch = await api.watch(`/api/v1/namespaces/${NS}/pods?watch=true`, (line) => {
    const e = JSON.parse(line) as { type: string; object: Pod };
    const name = e.object.metadata?.name ?? '';
    const now = performance.now();
    if (e.object.spec?.nodeName && !bound.has(name)) bound.set(name, now);
    if (e.object.status?.startTime && !agentSaw.has(name)) agentSaw.set(name, now);
    if (e.type === 'DELETED') deleted.set(name, now);
    else if (e.object.status?.phase === 'Running' && !running.has(name)) {
      running.set(name, now);
    }
    onChange();
  });
  const until = (what: string, done: () => boolean, timeoutMs: number) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
      onChange = () => {
        if (done()) {
          clearTimeout(timer);
          resolve();
        }
      };
      onChange();
    });

  // Creation: all at once (32 sockets in flight), each timed from its own request.
  const t0 = performance.now();
  const cpu0 = cpuTicks();
  const server0 = processTicks(cluster.server.child.pid);
  const node0 = await account.usage();
  await Promise.all(
    Array.from({ length: PODS }, async (_, i) => {
      const name = `p-${String(i).padStart(3, '0')}`;
      created.set(name, performance.now());
      const r = await api.call('POST', `/api/v1/namespaces/${NS}/pods`, pod(name));
      if (r.status !== 201) throw new Error(`create ${name}: ${r.status} ${r.body}`);
    }),
  );
  const createdAllMs = performance.now() - t0;
  await until(`${PODS} pods Running`, () => running.size >= PODS, 300_000);
  const allRunningMs = performance.now() - t0;
  const cpu1 = cpuTicks();
  const node1 = await account.usage();
  const [user = 0, sys = 0, cuser = 0, csys = 0] = processTicks(cluster.server.child.pid).map((v, i) => (v - (server0[i] ?? 0)) / 100);
  const busyShare = (cpu1.busy - cpu0.busy) / (cpu1.total - cpu0.total);
  const coreSeconds = ((cpu1.busy - cpu0.busy) / 100); // USER_HZ is 100 on Linux
  const startup = summarize([...running].map(([n, t]) => t - (created.get(n) ?? t)), allRunningMs / 1000);

  // Teardown: one delete per pod at once; done when the API server has removed every object
  // (the agent confirmed the containers stopped) — then check runc has nothing left.
  const t1 = performance.now();
  const delStart = new Map<string, number>();
  await Promise.all(
    [...created.keys()].map(async (name) => {
      delStart.set(name, performance.now());
      const r = await api.call('DELETE', `/api/v1/namespaces/${NS}/pods/${name}`);
      if (r.status !== 200 && r.status !== 202) throw new Error(`delete ${name}: ${r.status} ${r.body}`);
    }),
  );
  await until(`${PODS} pods deleted`, () => deleted.size >= PODS, 300_000);
  const allDeletedMs = performance.now() - t1;
  const teardown = summarize([...deleted].map(([n, t]) => t - (delStart.get(n) ?? t)), allDeletedMs / 1000);
  let leftContainers = runcList(join(cluster.dir, 'server', 'agent', 'runc', 'runc')).length;
  for (let i = 0; i < 50 && leftContainers > 0; i++) {
    await new Promise((r) => setTimeout(r, 200));
    leftContainers = runcList(join(cluster.dir, 'server', 'agent', 'runc', 'runc')).length;
  }
  const allGoneMs = performance.now() - t1;
  stopWatch();
  api.close();

  console.log(`\npod startup, ${PODS} pods created at once on 1 node (busybox, pre-imported, runc + CNI bridge):`);
  console.log(`  create requests done      ${ms(createdAllMs)}`);
  console.log(`  all Running               ${ms(allRunningMs)}   (${(PODS / (allRunningMs / 1000)).toFixed(1)} pods/s)`);
  console.log(`  create → Running (watch)  p50 ${ms(startup.p50)}   p99 ${ms(startup.p99)}   max ${ms(startup.max)}   (upstream SLO p99 ≤ 5000 ms)`);
  const since = (a: Map<string, number>, b: Map<string, number>) => [...b].map(([n, t]) => t - (a.get(n) ?? t));
  console.log(`  machine CPU while starting  ${(busyShare * 100).toFixed(0)} % busy of ${cpus().length} cores, ${coreSeconds.toFixed(1)} core-s (${((coreSeconds / PODS) * 1000).toFixed(0)} ms per pod, all processes incl. other sessions)`);
  // The agent writes a pod's first status once its containers run, so "bound → first status" is the node's whole share.
  console.log(`  minato server process        ${user.toFixed(1)} s user + ${sys.toFixed(1)} s sys; reaped children ${cuser.toFixed(1)} s user + ${csys.toFixed(1)} s sys`);
  const nodeCpu = node1.total - node0.total;
  console.log(`  minato's whole tree          ${nodeCpu.toFixed(1)} core-s (${(node1.system - node0.system).toFixed(1)} s system) = ${((nodeCpu / PODS) * 1000).toFixed(0)} ms per pod (server, launcher, conmon, runc, CNI plugins, mount; cpuacct)`);
  console.log('  phases as seen by the watch:');
  console.log(phaseLine('  create → bound', since(created, bound)));
  console.log(phaseLine('  bound → first agent status', since(bound, agentSaw)));
  console.log(phaseLine('  first agent status → Running', since(agentSaw, running)));
  console.log(`\nteardown (grace period 1 s; sleep ignores SIGTERM, so each pod waits for its SIGKILL):`);
  console.log(`  delete → gone (watch)     p50 ${ms(teardown.p50)}   p99 ${ms(teardown.p99)}   max ${ms(teardown.max)}`);
  console.log(`  all API objects gone      ${ms(allDeletedMs)}`);
  console.log(`  runc containers left      ${leftContainers} (checked at ${ms(allGoneMs)})`);
} finally {
  await cluster.close();
  await account.close();
}

/**
 * `npm run bench:apiserver`: API server throughput and latency on SQLite and on etcd, with the raw
 * etcd put rate measured in the same run. Prints a table; not part of `npm test`.
 */
import { cpus, totalmem } from 'node:os';
import { Etcd3 } from 'etcd3';
import { startEtcd } from '../../src/storage/testing/etcd-process.ts';
import { startServerProcess } from '../../test/support/minato-server.ts';
import { apiClient } from '../support/api-client.ts';
import { closedLoop, fixedRate, formatRow, summarize, type Summary } from '../support/stats.ts';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const N_SEQ = Math.round(400 * SCALE);
const N_CONC = Math.round(4000 * SCALE);

function configMap(ns: string, name: string) {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns, labels: { bench: 'yes' } }, data: { payload: 'x'.repeat(512) } };
}

async function must(p: Promise<{ status: number; body: string }>, expected: number): Promise<void> {
  const r = await p;
  if (r.status !== expected) throw new Error(`expected ${expected}, got ${r.status}: ${r.body.slice(0, 300)}`);
}

async function benchBackend(label: string, store?: string): Promise<Record<string, Summary>> {
  // The API server alone: controllers and the scheduler would compete for the same two cores.
  const server = await startServerProcess({ store, extraArgs: ['--disable-controllers'] });
  const results: Record<string, Summary> = {};
  const record = (name: string, r: { samples: number[]; seconds: number }) => {
    results[name] = summarize(r.samples, r.seconds);
    console.log(formatRow(`${label} ${name}`, results[name]!));
  };
  try {
    for (const c of [1, 32]) {
      const api = apiClient(server.kubeconfig, c);
      const ns = `bench-c${c}`;
      await must(api.call('POST', '/api/v1/namespaces', { metadata: { name: ns } }), 201);
      const n = c === 1 ? N_SEQ : N_CONC;
      record(`create c=${c}`, await closedLoop(n, c, (i) => must(api.call('POST', `/api/v1/namespaces/${ns}/configmaps`, configMap(ns, `cm-${i}`)), 201)));
      record(`get    c=${c}`, await closedLoop(n, c, (i) => must(api.call('GET', `/api/v1/namespaces/${ns}/configmaps/cm-${i % n}`), 200)));
      record(`update c=${c}`, await closedLoop(n, c, (i) => must(api.call('PATCH', `/api/v1/namespaces/${ns}/configmaps/cm-${i % n}`, [{ op: 'replace', path: '/data/payload', value: `v${i}` }]).then((r) => r), 200)));
      record(`list 100 c=${c}`, await closedLoop(c === 1 ? 100 : 400, c, () => must(api.call('GET', `/api/v1/namespaces/${ns}/configmaps?limit=100`), 200)));
      api.close();
    }
    await benchWatch(server.kubeconfig, label, record);
    const api = apiClient(server.kubeconfig, 64);
    await must(api.call('POST', '/api/v1/namespaces', { metadata: { name: 'bench-rate' } }), 201);
    record('create at 200/s (open loop, 10 s)', await fixedRate(200, 10 * Math.min(1, SCALE), (i) => must(api.call('POST', '/api/v1/namespaces/bench-rate/configmaps', configMap('bench-rate', `r-${i}`)), 201)));
    api.close();
  } finally {
    await server.dispose();
  }
  return results;
}

/** 10 watchers on one namespace; latency from a create's acknowledgement to each watcher seeing it. */
async function benchWatch(kubeconfig: string, label: string, record: (name: string, r: { samples: number[]; seconds: number }) => void): Promise<void> {
  const api = apiClient(kubeconfig, 8);
  await must(api.call('POST', '/api/v1/namespaces', { metadata: { name: 'bench-watch' } }), 201);
  const acked = new Map<string, number>();
  const samples: number[] = [];
  const closers: Array<() => void> = [];
  const total = Math.round(1000 * SCALE);
  let delivered = 0;
  let allSeen: () => void = () => undefined;
  const done = new Promise<void>((r) => (allSeen = r));
  for (let w = 0; w < 10; w++) {
    closers.push(
      await api.watch('/api/v1/namespaces/bench-watch/configmaps?watch=true&resourceVersion=1', (line) => {
        const name = (JSON.parse(line) as { object: { metadata: { name: string } } }).object.metadata.name;
        const t = acked.get(name);
        const now = performance.now();
        // An event may arrive before the writer's response; count that as zero latency.
        samples.push(t === undefined ? 0 : Math.max(0, now - t));
        if (++delivered === total * 10) allSeen();
      }),
    );
  }
  const start = performance.now();
  await closedLoop(total, 8, async (i) => {
    const name = `w-${i}`;
    await must(api.call('POST', '/api/v1/namespaces/bench-watch/configmaps', configMap('bench-watch', name)), 201);
    acked.set(name, performance.now());
  });
  await done;
  record('watch events delivered (10 watchers)', { samples, seconds: (performance.now() - start) / 1000 });
  for (const c of closers) c();
  api.close();
  void label;
}

async function benchRawEtcd(url: string): Promise<Record<string, Summary>> {
  const client = new Etcd3({ hosts: url });
  const value = JSON.stringify(configMap('raw', 'x'));
  const results: Record<string, Summary> = {};
  for (const c of [1, 32]) {
    const n = c === 1 ? N_SEQ : N_CONC;
    const r = await closedLoop(n, c, (i) => client.put(`/raw/c${c}/${i}`).value(value).then(() => undefined));
    results[`put c=${c}`] = summarize(r.samples, r.seconds);
    console.log(formatRow(`etcd raw put c=${c}`, results[`put c=${c}`]!));
  }
  client.close();
  return results;
}

console.log(`minato bench/apiserver — ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`);
const sqlite = await benchBackend('sqlite');
const etcd = await startEtcd();
try {
  const raw = await benchRawEtcd(etcd.url);
  const viaApi = await benchBackend('etcd  ', etcd.url.replace(/^http:/, 'etcd:'));
  for (const c of [1, 32]) {
    const ratio = (viaApi[`create c=${c}`]?.perSecond ?? 0) / (raw[`put c=${c}`]?.perSecond ?? 1);
    console.log(`etcd: API creates / raw puts at c=${c}: ${ratio.toFixed(2)}× (target ≥ 0.5×)`);
  }
} finally {
  await etcd.stop();
}
const rate = sqlite['create at 200/s (open loop, 10 s)'];
console.log(`sqlite: mutating p99 at 200 writes/s = ${rate?.p99.toFixed(1)} ms (target ≤ 50 ms)`);

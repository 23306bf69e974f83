/**
 * The `metrics.k8s.io/v1beta1` API (`kubectl top`): NodeMetrics and PodMetrics computed on request
 * from each Ready node's agent `/stats/summary`. CPU is a rate between two scrapes (see cpu-rates);
 * memory is the working set of the latest scrape.
 */
import type { ResourceDefinition } from '../../api/resource-definition.ts';
import type { KubeObject } from '../../api/types.ts';
import { parseLabelSelector, SelectorParseError } from '../../api/selectors/label-selector.ts';
import type { ApiContext } from '../api-context.ts';
import { sendJson } from '../http/respond.ts';
import type { KubeletClient } from '../kubelet/kubelet-client.ts';
import { badRequest, methodNotAllowed, StatusError } from '../status-error.ts';
import type { RequestScope } from '../handlers/request-scope.ts';
import { CpuRateCache, rateOf, windowText, type CpuSample, type RateWindow } from './cpu-rates.ts';
import { METRICS_GROUP, METRICS_VERSION } from './metrics-resources.ts';

/** The parts of the agent summary read here (see src/node/server/stats-summary.ts). */
interface Summary {
  node: { cpu: { time: string; usageCoreNanoSeconds: number }; memory: { workingSetBytes: number } };
  pods: Array<{ podRef: { name: string; namespace: string }; containers: Array<{ name: string; cpu: { time: string; usageCoreNanoSeconds: number }; memory: { workingSetBytes: number } }> }>;
}

interface NodeScrape {
  node: string;
  summary: Summary;
  window: RateWindow;
}

export interface MetricsApi {
  serve(s: RequestScope): Promise<void>;
}

const MIN_WINDOW_MS = 1000;
const API_VERSION = `${METRICS_GROUP}/${METRICS_VERSION}`;

export function createMetricsApi(d: { ctx: ApiContext; kubelet: KubeletClient; sleep?: (ms: number) => Promise<void>; log?: (msg: string, fields?: Record<string, unknown>) => void }): MetricsApi {
  const rates = new CpuRateCache(MIN_WINDOW_MS);
  const sleep = d.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const resource = (plural: string) => d.ctx.catalog().find('', 'v1', plural) as ResourceDefinition;

  const fetchSample = async (node: string): Promise<{ summary: Summary; sample: CpuSample }> => {
    const res = await d.kubelet.get(node, '/stats/summary');
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(c as Buffer);
    if (res.statusCode !== 200) throw new Error(`agent answered ${res.statusCode ?? 0}`);
    const summary = JSON.parse(Buffer.concat(chunks).toString()) as Summary;
    const cpu = new Map<string, { ns: number; timeMs: number }>();
    cpu.set('', { ns: summary.node.cpu.usageCoreNanoSeconds, timeMs: Date.parse(summary.node.cpu.time) });
    for (const p of summary.pods) for (const c of p.containers) cpu.set(`${p.podRef.namespace}/${p.podRef.name}/${c.name}`, { ns: c.cpu.usageCoreNanoSeconds, timeMs: Date.parse(c.cpu.time) });
    return { summary, sample: { at: Date.parse(summary.node.cpu.time), cpu } };
  };

  const scrape = async (node: string): Promise<NodeScrape | undefined> => {
    try {
      let { summary, sample } = await fetchSample(node);
      let window = rates.offer(node, sample);
      if (!window) {
        // First look at this node (or a burst of requests): wait for a second sample a window later.
        await sleep(MIN_WINDOW_MS);
        ({ summary, sample } = await fetchSample(node));
        window = rates.offer(node, sample);
      }
      return window ? { node, summary, window } : undefined;
    } catch (err) {
      rates.forget(node);
      d.log?.('metrics scrape failed', { node, err: err instanceof Error ? err.message : String(err) });
      return undefined;
    }
  };

  const readyNodes = async (): Promise<KubeObject[]> => {
    const nodes = (await d.ctx.objects.list(resource('nodes'), {})).items;
    return nodes.filter((n) => ((n.status as { conditions?: Array<{ type?: string; status?: string }> } | undefined)?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'));
  };

  const nodeMetrics = async (): Promise<KubeObject[]> => {
    const nodes = await readyNodes();
    const scrapes = await Promise.all(nodes.map((n) => scrape(n.metadata?.name ?? '')));
    return scrapes.flatMap((sc, i) => {
      const cpu = sc ? rateOf(sc.window, '') : undefined;
      if (!sc || cpu === undefined) return [];
      const meta = nodes[i]?.metadata ?? {};
      return [{ kind: 'NodeMetrics', apiVersion: API_VERSION, metadata: { name: sc.node, labels: meta.labels ?? {}, creationTimestamp: d.ctx.now().toISOString() }, timestamp: sc.summary.node.cpu.time, window: windowText(sc.window), usage: usage(cpu, sc.summary.node.memory.workingSetBytes) }];
    });
  };

  const podMetrics = async (namespace: string | undefined, selectorText: string | null): Promise<KubeObject[]> => {
    let selector;
    try {
      selector = parseLabelSelector(selectorText ?? undefined);
    } catch (err) {
      if (err instanceof SelectorParseError) throw badRequest(err.message);
      throw err;
    }
    const pods = (await d.ctx.objects.list(resource('pods'), { namespace })).items.filter((p) => selector.matches(p.metadata?.labels));
    const byKey = new Map(pods.map((p) => [`${p.metadata?.namespace ?? ''}/${p.metadata?.name ?? ''}`, p]));
    const nodes = new Set((await readyNodes()).map((n) => n.metadata?.name ?? ''));
    const wanted = [...new Set(pods.map((p) => (p.spec as { nodeName?: string } | undefined)?.nodeName ?? '').filter((n) => nodes.has(n)))];
    const scrapes = (await Promise.all(wanted.map(scrape))).filter((x): x is NodeScrape => !!x);
    const items: KubeObject[] = [];
    for (const sc of scrapes) {
      for (const p of sc.summary.pods) {
        const obj = byKey.get(`${p.podRef.namespace}/${p.podRef.name}`);
        if (!obj) continue;
        const containers = p.containers.map((c) => ({ name: c.name, cpu: rateOf(sc.window, `${p.podRef.namespace}/${p.podRef.name}/${c.name}`), memory: c.memory.workingSetBytes }));
        if (containers.length === 0 || containers.some((c) => c.cpu === undefined)) continue; // incomplete data, as metrics-server skips
        items.push({
          kind: 'PodMetrics',
          apiVersion: API_VERSION,
          metadata: { name: p.podRef.name, namespace: p.podRef.namespace, labels: obj.metadata?.labels ?? {}, creationTimestamp: d.ctx.now().toISOString() },
          timestamp: sc.summary.node.cpu.time,
          window: windowText(sc.window),
          containers: containers.map((c) => ({ name: c.name, usage: usage(c.cpu ?? 0, c.memory) })),
        });
      }
    }
    return items.sort((a, b) => `${a.metadata?.namespace ?? ''}/${a.metadata?.name ?? ''}`.localeCompare(`${b.metadata?.namespace ?? ''}/${b.metadata?.name ?? ''}`));
  };

  return {
    async serve(s) {
      if (s.req.method !== 'GET') throw methodNotAllowed('the server does not allow this method on the requested resource');
      const nodesResource = s.r.plural === 'nodes';
      const items = nodesResource ? await nodeMetrics() : await podMetrics(s.namespace, s.query.get('labelSelector'));
      if (s.name) {
        const found = items.find((i) => i.metadata?.name === s.name && (nodesResource || i.metadata?.namespace === s.namespace));
        if (!found) throw new StatusError(404, 'NotFound', `${nodesResource ? 'nodemetrics' : 'podmetrics'}.${METRICS_GROUP} "${s.name}" not found`, { name: s.name, group: METRICS_GROUP, kind: s.r.plural });
        return sendJson(s.res, 200, found);
      }
      sendJson(s.res, 200, { kind: nodesResource ? 'NodeMetricsList' : 'PodMetricsList', apiVersion: API_VERSION, metadata: {}, items });
    },
  };
}

function usage(nanocores: number, workingSetBytes: number): { cpu: string; memory: string } {
  return { cpu: `${nanocores}n`, memory: `${Math.round(workingSetBytes / 1024)}Ki` };
}

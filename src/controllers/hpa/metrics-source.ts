import { milliValue, parseQuantity } from '../../api/quantity.ts';
import type { KubeClient } from '../../client/kube-client.ts';

/** One pod's resource usage, summed over its containers, in milli-units (cpu: millicores, memory: millibytes). */
export interface PodMetric {
  name: string;
  timestamp: Date;
  windowMs: number;
  usage: Record<string, number>;
}

/** Where the HPA controller reads pod usage from (the role; implementations name the mechanism). */
export interface MetricsSource {
  /** Usage of the pods of `namespace` that `selector` (label-selector text) selects. */
  podMetrics(namespace: string, selector: string): Promise<PodMetric[]>;
}

interface PodMetricsList {
  items?: Array<{ metadata?: { name?: string }; timestamp?: string; window?: string; containers?: Array<{ usage?: Record<string, string> }> }>;
}

/** Reads `metrics.k8s.io/v1beta1` PodMetrics through the API (served by the node agents' stats). */
export class MetricsApiSource implements MetricsSource {
  constructor(private readonly client: KubeClient) {}

  async podMetrics(namespace: string, selector: string): Promise<PodMetric[]> {
    const query = selector ? `?labelSelector=${encodeURIComponent(selector)}` : '';
    const list = await this.client.getPath<PodMetricsList>(`/apis/metrics.k8s.io/v1beta1/namespaces/${encodeURIComponent(namespace)}/pods${query}`);
    return (list.items ?? []).map((item) => {
      const usage: Record<string, number> = {};
      for (const c of item.containers ?? []) {
        for (const [name, value] of Object.entries(c.usage ?? {})) usage[name] = (usage[name] ?? 0) + milliValue(parseQuantity(value));
      }
      return { name: item.metadata?.name ?? '', timestamp: new Date(item.timestamp ?? 0), windowMs: parseWindow(item.window), usage };
    });
  }
}

/** `30s`, `1m0s`, `10.5s` → milliseconds. */
function parseWindow(text: string | undefined): number {
  let ms = 0;
  for (const [, n, unit] of (text ?? '').matchAll(/([\d.]+)(ms|s|m|h)/g)) ms += Number(n) * ({ ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit as 'ms' | 's' | 'm' | 'h'] ?? 0);
  return ms;
}

import type { Pod } from 'kubernetes-types/core/v1.js';
import { milliValue, parseQuantity } from '../../api/quantity.ts';
import type { PodMetric } from './metrics-source.ts';

/** Upstream's defaults for judging whether a pod's CPU sample is usable. */
export interface CalculatorOptions {
  tolerance: number;
  cpuInitializationPeriodMs: number;
  initialReadinessDelayMs: number;
}

/** What one metric recommends, with the figures status reports. */
export interface Recommendation {
  replicas: number;
  /** Average utilization in percent of request (Utilization targets only). */
  utilization?: number;
  /** Average usage per pod, milli-units. */
  averageMilli: number;
}

/** How the target is expressed: a percentage of request or an absolute average per pod (milli-units). */
export type ResourceTarget = { utilization: number } | { averageMilli: number };

/** Thrown when no recommendation can be made (reported as FailedGetResourceMetric). */
export class MetricError extends Error {}

interface Grouped {
  ready: number;
  unready: Set<string>;
  missing: Set<string>;
}

function groupPods(pods: Pod[], metrics: Map<string, PodMetric>, resource: string, now: Date, o: CalculatorOptions): Grouped {
  const g: Grouped = { ready: 0, unready: new Set(), missing: new Set() };
  for (const pod of pods) {
    const name = pod.metadata?.name ?? '';
    if (pod.metadata?.deletionTimestamp || pod.status?.phase === 'Failed') {
      metrics.delete(name);
      continue;
    }
    if (pod.status?.phase === 'Pending') {
      g.unready.add(name);
      continue;
    }
    const metric = metrics.get(name);
    if (!metric) {
      g.missing.add(name);
      continue;
    }
    if (resource === 'cpu' && cpuSampleUnready(pod, metric, now, o)) {
      g.unready.add(name);
      continue;
    }
    g.ready++;
  }
  return g;
}

/** CPU while starting up is not representative: skip unready pods and samples from before readiness. */
function cpuSampleUnready(pod: Pod, metric: PodMetric, now: Date, o: CalculatorOptions): boolean {
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
  const start = pod.status?.startTime ? Date.parse(pod.status.startTime) : undefined;
  if (!ready || start === undefined) return true;
  const transition = ready.lastTransitionTime ? Date.parse(ready.lastTransitionTime) : start;
  if (start + o.cpuInitializationPeriodMs > now.getTime()) return ready.status === 'False' || metric.timestamp.getTime() < transition + metric.windowMs;
  return ready.status === 'False' && start + o.initialReadinessDelayMs > transition;
}

/** Sum of the containers' requests of `resource` per pod, milli-units; a container without one is an error. */
function podRequests(pods: Pod[], resource: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const pod of pods) {
    let sum = 0;
    for (const c of pod.spec?.containers ?? []) {
      const request = c.resources?.requests?.[resource];
      if (request === undefined) throw new MetricError(`missing request for ${resource} in container ${c.name} of Pod ${pod.metadata?.name ?? ''}`);
      sum += milliValue(parseQuantity(request));
    }
    out.set(pod.metadata?.name ?? '', sum);
  }
  return out;
}

function usageRatio(usage: Map<string, number>, requests: Map<string, number>, target: ResourceTarget): { ratio: number; utilization?: number; averageMilli: number } {
  let total = 0;
  let requested = 0;
  for (const [name, value] of usage) {
    total += value;
    requested += requests.get(name) ?? 0;
  }
  const averageMilli = usage.size ? Math.trunc(total / usage.size) : 0;
  if ('averageMilli' in target) return { ratio: total / (target.averageMilli * usage.size), averageMilli };
  if (requested === 0) throw new MetricError('no metrics returned matched known pods');
  const utilization = Math.trunc((total * 100) / requested);
  return { ratio: utilization / target.utilization, utilization, averageMilli };
}

/**
 * Upstream's replica calculation for a Resource metric: desired = ceil(ratio × ready pods) outside
 * the tolerance, where unready pods count as idle when scaling up and pods without metrics count
 * as at-target-or-idle so that missing data never drives a scale in the wrong direction.
 */
export function resourceReplicas(input: { currentReplicas: number; resource: string; target: ResourceTarget; pods: Pod[]; metrics: PodMetric[]; now: Date }, o: CalculatorOptions): Recommendation {
  const { currentReplicas, resource, target, pods, now } = input;
  if (input.metrics.length === 0) throw new MetricError(`unable to get metrics for resource ${resource}: no metrics returned from resource metrics API`);
  if (pods.length === 0) throw new MetricError('no pods returned by selector while calculating replica count');
  const metrics = new Map(input.metrics.map((m) => [m.name, m]));
  const g = groupPods(pods, metrics, resource, now, o);
  const usage = new Map<string, number>();
  for (const [name, m] of metrics) if (!g.unready.has(name) && pods.some((p) => p.metadata?.name === name)) usage.set(name, m.usage[resource] ?? 0);
  if (usage.size === 0) throw new MetricError('did not receive metrics for targeted pods (pods might be unready)');
  const requests = 'utilization' in target ? podRequests(pods, resource) : new Map<string, number>();
  const first = usageRatio(usage, requests, target);
  const scaleUpWithUnready = g.unready.size > 0 && first.ratio > 1;
  const keep = { replicas: currentReplicas, utilization: first.utilization, averageMilli: first.averageMilli };
  if (!scaleUpWithUnready && g.missing.size === 0) {
    if (Math.abs(1 - first.ratio) <= o.tolerance) return keep;
    return { ...keep, replicas: Math.ceil(first.ratio * g.ready) };
  }
  const assumedFull = (name: string) => ('utilization' in target ? ((requests.get(name) ?? 0) * Math.max(100, target.utilization)) / 100 : target.averageMilli);
  for (const name of g.missing) usage.set(name, first.ratio < 1 ? assumedFull(name) : 0);
  if (scaleUpWithUnready) for (const name of g.unready) usage.set(name, 0);
  const second = usageRatio(usage, requests, target);
  if (Math.abs(1 - second.ratio) <= o.tolerance || (first.ratio < 1 && second.ratio > 1) || (first.ratio > 1 && second.ratio < 1)) return keep;
  const replicas = Math.ceil(second.ratio * usage.size);
  if ((second.ratio < 1 && replicas > currentReplicas) || (second.ratio > 1 && replicas < currentReplicas)) return keep;
  return { ...keep, replicas };
}

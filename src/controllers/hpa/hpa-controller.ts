import { isDeepStrictEqual } from 'node:util';
import type { HorizontalPodAutoscaler, HorizontalPodAutoscalerStatus, MetricSpec, MetricStatus } from 'kubernetes-types/autoscaling/v2.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { milliValue, parseQuantity } from '../../api/quantity.ts';
import { parseLabelSelector } from '../../api/selectors/label-selector.ts';
import { isConflict, isNotFound } from '../../client/api-error.ts';
import { R } from '../../client/resource-ref.ts';
import type { EventRecorder } from '../../controller/event-recorder.ts';
import type { Reconciler, Request, Result } from '../../controller/reconciler.ts';
import { selfRequest } from '../../controller/reconciler.ts';
import type { ControllerConfig } from '../../controller/reconciler.ts';
import type { ControllerContext } from '../controller-context.ts';
import { resourceMetricStatus, setCondition } from './hpa-status.ts';
import { MetricsApiSource, type MetricsSource } from './metrics-source.ts';
import { resourceReplicas, type CalculatorOptions, type ResourceTarget } from './replica-calculator.ts';
import { ScaleTargets, type Scale } from './scale-target.ts';
import { ScalingHistory } from './scaling-behavior.ts';

/** Event reasons, as upstream's HPA controller records them. */
export const REASON_SUCCESSFUL_RESCALE = 'SuccessfulRescale';
export const REASON_FAILED_RESCALE = 'FailedRescale';
export const REASON_FAILED_GET_SCALE = 'FailedGetScale';
export const REASON_FAILED_GET_RESOURCE_METRIC = 'FailedGetResourceMetric';
export const REASON_FAILED_COMPUTE_REPLICAS = 'FailedComputeMetricsReplicas';

/** Knobs upstream exposes as kube-controller-manager flags; tests shorten the windows. */
export interface HpaOptions {
  /** Where pod usage comes from (default: the metrics.k8s.io API). */
  metrics?: MetricsSource;
  /** How often each autoscaler is re-evaluated (default 15 s). */
  syncPeriodMs?: number;
  /** Scale-down stabilization window when `behavior` does not set one (default 300 s). */
  downscaleStabilizationMs?: number;
  tolerance?: number;
  cpuInitializationPeriodMs?: number;
  initialReadinessDelayMs?: number;
}

interface Computed {
  replicas: number;
  metricName: string;
  statuses: MetricStatus[];
}

/**
 * The HorizontalPodAutoscaler controller (autoscaling/v2): reads the target's `/scale`, computes the
 * replicas each Resource metric asks for from pod usage, stabilizes and rate-limits the result as
 * upstream does, writes `/scale`, and reports status, conditions and events.
 */
export class HpaReconciler implements Reconciler {
  private readonly histories = new Map<string, ScalingHistory>();
  private readonly targets: ScaleTargets;
  private readonly metrics: MetricsSource;
  private readonly recorder: EventRecorder;
  private readonly calc: CalculatorOptions;
  private readonly syncPeriodMs: number;
  private readonly downWindowMs: number;

  constructor(
    private readonly ctx: ControllerContext,
    opts: HpaOptions = {},
  ) {
    this.targets = new ScaleTargets(ctx.client);
    this.metrics = opts.metrics ?? new MetricsApiSource(ctx.client);
    this.recorder = ctx.recorder('horizontal-pod-autoscaler');
    this.calc = { tolerance: opts.tolerance ?? 0.1, cpuInitializationPeriodMs: opts.cpuInitializationPeriodMs ?? 300_000, initialReadinessDelayMs: opts.initialReadinessDelayMs ?? 30_000 };
    this.syncPeriodMs = opts.syncPeriodMs ?? 15_000;
    this.downWindowMs = opts.downscaleStabilizationMs ?? 300_000;
  }

  async reconcile(req: Request): Promise<Result | void> {
    const key = `${req.namespace ?? ''}/${req.name}`;
    const cached = this.ctx.informers.for<HorizontalPodAutoscaler>(R.horizontalpodautoscalers).get(key);
    if (!cached) {
      this.histories.delete(key);
      return;
    }
    const hpa = structuredClone(cached);
    const status: HorizontalPodAutoscalerStatus = structuredClone(hpa.status ?? { desiredReplicas: 0 });
    const now = this.ctx.clock.now();
    const stamp = rfc3339(now);
    const namespace = req.namespace ?? '';
    const target = hpa.spec?.scaleTargetRef;
    if (!target) return;
    let scale: Scale;
    try {
      scale = await this.targets.get(namespace, target);
    } catch (err) {
      const message = errorText(err);
      this.recorder.event(hpa, 'Warning', REASON_FAILED_GET_SCALE, message);
      setCondition(status, 'AbleToScale', 'False', REASON_FAILED_GET_SCALE, `the HPA controller was unable to get the target's current scale: ${message}`, stamp);
      await this.write(hpa, status);
      return { requeueAfterMs: this.syncPeriodMs };
    }
    setCondition(status, 'AbleToScale', 'True', 'SucceededGetScale', "the HPA controller was able to get the target's current scale", stamp);
    const current = scale.spec?.replicas ?? 0;
    const min = hpa.spec?.minReplicas ?? 1;
    const max = hpa.spec?.maxReplicas ?? current;
    let desired = current;
    let reason = '';
    let statuses = status.currentMetrics ?? [];
    let rescale = true;
    if (current === 0 && min !== 0) {
      rescale = false;
      setCondition(status, 'ScalingActive', 'False', 'ScalingDisabled', 'scaling is disabled since the replica count of the target is zero', stamp);
    } else if (current > max) {
      [desired, reason] = [max, 'Current number of replicas above Spec.MaxReplicas'];
    } else if (current < min) {
      [desired, reason] = [min, 'Current number of replicas below Spec.MinReplicas'];
    } else {
      const computed = await this.computeReplicas(hpa, scale, current, status, now);
      statuses = computed.statuses;
      if (computed.replicas < 0) {
        Object.assign(status, { currentReplicas: current, currentMetrics: statuses.length ? statuses : undefined });
        await this.write(hpa, status);
        return { requeueAfterMs: this.syncPeriodMs };
      }
      desired = Math.max(0, computed.replicas);
      if (desired > current) reason = `${computed.metricName} above target`;
      if (desired < current) reason = 'All metrics below target';
      const history = this.historyOf(key);
      const behavior = hpa.spec?.behavior;
      const n = behavior ? history.normalizeWithBehavior(now.getTime(), current, desired, min, max, behavior, this.downWindowMs) : history.normalize(now.getTime(), current, desired, min, max, this.downWindowMs);
      setCondition(status, 'AbleToScale', 'True', n.stabilized.reason, n.stabilized.message, stamp);
      setCondition(status, 'ScalingLimited', n.limited.status, n.limited.reason, n.limited.message, stamp);
      desired = n.replicas;
      rescale = desired !== current;
    }
    if (rescale) {
      try {
        await this.targets.setReplicas(namespace, target, desired);
      } catch (err) {
        this.recorder.event(hpa, 'Warning', REASON_FAILED_RESCALE, `New size: ${desired}; reason: ${reason}; error: ${errorText(err)}`);
        setCondition(status, 'AbleToScale', 'False', 'FailedUpdateScale', `the HPA controller was unable to update the target scale: ${errorText(err)}`, stamp);
        await this.write(hpa, { ...status, currentReplicas: current, currentMetrics: statuses });
        throw err;
      }
      setCondition(status, 'AbleToScale', 'True', 'SucceededRescale', `the HPA controller was able to update the target scale to ${desired}`, stamp);
      this.recorder.event(hpa, 'Normal', REASON_SUCCESSFUL_RESCALE, `New size: ${desired}; reason: ${reason}`);
      if (hpa.spec?.behavior) this.historyOf(key).recordScale(now.getTime(), current, desired);
      status.lastScaleTime = stamp;
    } else desired = current;
    Object.assign(status, { currentReplicas: current, desiredReplicas: desired, currentMetrics: statuses.length ? statuses : undefined, observedGeneration: hpa.metadata?.generation });
    await this.write(hpa, status);
    return { requeueAfterMs: this.syncPeriodMs };
  }

  private historyOf(key: string): ScalingHistory {
    let h = this.histories.get(key);
    if (!h) this.histories.set(key, (h = new ScalingHistory()));
    return h;
  }

  /** The largest recommendation over all metrics; -1 when none could be computed. */
  private async computeReplicas(hpa: HorizontalPodAutoscaler, scale: Scale, current: number, status: HorizontalPodAutoscalerStatus, now: Date): Promise<Computed> {
    const stamp = rfc3339(now);
    const specs = hpa.spec?.metrics ?? [];
    const selectorText = scale.status?.selector ?? '';
    const selector = parseLabelSelector(selectorText);
    const pods = this.ctx.informers.for<Pod>(R.pods).byNamespace(hpa.metadata?.namespace ?? '').filter((p) => selector.matches(p.metadata?.labels));
    const result: Computed = { replicas: -1, metricName: '', statuses: [] };
    let failures = 0;
    for (const spec of specs) {
      try {
        const { name, target } = resourceTarget(spec);
        const metrics = await this.metrics.podMetrics(hpa.metadata?.namespace ?? '', selectorText);
        const rec = resourceReplicas({ currentReplicas: current, resource: name, target, pods, metrics, now }, this.calc);
        result.statuses.push(resourceMetricStatus(name, rec));
        if (rec.replicas > result.replicas) {
          result.replicas = rec.replicas;
          result.metricName = 'utilization' in target ? `${name} resource utilization (percentage of request)` : `${name} resource`;
        }
      } catch (err) {
        failures++;
        const [reason, text] = err instanceof UnsupportedMetric ? ['InvalidMetricSourceType', err.message] : [REASON_FAILED_GET_RESOURCE_METRIC, errorText(err)];
        this.recorder.event(hpa, 'Warning', reason, text);
        setCondition(status, 'ScalingActive', 'False', reason, `the HPA was unable to compute the replica count: ${text}`, stamp);
      }
    }
    if (failures >= specs.length) {
      if (specs.length) this.recorder.event(hpa, 'Warning', REASON_FAILED_COMPUTE_REPLICAS, 'invalid metrics, first error is shown in the ScalingActive condition');
      return { ...result, replicas: -1 };
    }
    if (failures === 0) setCondition(status, 'ScalingActive', 'True', 'ValidMetricFound', `the HPA was able to successfully calculate a replica count from ${result.metricName}`, stamp);
    return result;
  }

  private async write(hpa: HorizontalPodAutoscaler, status: HorizontalPodAutoscalerStatus): Promise<void> {
    if (isDeepStrictEqual(hpa.status, status)) return;
    try {
      await this.ctx.client.updateStatus(R.horizontalpodautoscalers, { ...hpa, status });
    } catch (err) {
      // The next sync rewrites status from fresh state.
      if (!isNotFound(err) && !isConflict(err)) throw err;
    }
  }
}

class UnsupportedMetric extends Error {}

function resourceTarget(spec: MetricSpec): { name: string; target: ResourceTarget } {
  if (spec.type !== 'Resource' || !spec.resource) throw new UnsupportedMetric(`unknown metric source type "${spec.type}"`);
  const t = spec.resource.target;
  if (t.type === 'Utilization' && t.averageUtilization !== undefined) return { name: spec.resource.name, target: { utilization: t.averageUtilization } };
  if (t.type === 'AverageValue' && t.averageValue !== undefined) return { name: spec.resource.name, target: { averageMilli: milliValue(parseQuantity(t.averageValue)) } };
  throw new UnsupportedMetric(`invalid resource metric source: neither a utilization target nor a value target was set`);
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The HPA controller; `opts` injects the metrics source and shortens windows (tests). */
export function createHpaController(ctx: ControllerContext, opts: HpaOptions = {}): ControllerConfig {
  const hpas = ctx.informers.for<HorizontalPodAutoscaler>(R.horizontalpodautoscalers);
  // Pods are read from the shared cache; the watch only makes the runtime wait for it to fill.
  return { name: 'hpa', reconciler: new HpaReconciler(ctx, opts), watches: [{ informer: hpas, toRequests: selfRequest }, { informer: ctx.informers.for<Pod>(R.pods), toRequests: () => [] }], workers: 2 };
}

import type { HorizontalPodAutoscalerCondition, HorizontalPodAutoscalerStatus, MetricStatus } from 'kubernetes-types/autoscaling/v2.js';
import { formatQuantity } from '../../api/quantity.ts';
import type { Recommendation } from './replica-calculator.ts';

/** Sets (or replaces) one condition, keeping its transition time when the status did not change. */
export function setCondition(status: HorizontalPodAutoscalerStatus, type: string, value: 'True' | 'False', reason: string, message: string, now: string): void {
  const conditions = status.conditions ?? [];
  const previous = conditions.find((c) => c.type === type);
  const next: HorizontalPodAutoscalerCondition = { type, status: value, reason, message, lastTransitionTime: previous?.status === value ? previous.lastTransitionTime : now };
  status.conditions = [...conditions.filter((c) => c.type !== type), next];
  status.conditions.sort((a, b) => ORDER.indexOf(a.type) - ORDER.indexOf(b.type));
}

const ORDER = ['AbleToScale', 'ScalingActive', 'ScalingLimited'];

/** A Resource metric's current value as status reports it. */
export function resourceMetricStatus(name: string, rec: Recommendation): MetricStatus {
  const averageValue = formatQuantity({ nanos: BigInt(rec.averageMilli) * 1_000_000n, format: 'DecimalSI' });
  return { type: 'Resource', resource: { name, current: { averageValue, ...(rec.utilization !== undefined ? { averageUtilization: rec.utilization } : {}) } } };
}

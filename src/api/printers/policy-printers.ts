import type { HorizontalPodAutoscaler as HpaV1 } from 'kubernetes-types/autoscaling/v1.js';
import type { HorizontalPodAutoscaler as HpaV2, MetricSpec, MetricStatus } from 'kubernetes-types/autoscaling/v2.js';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import type { KubeObject } from '../types.ts';
import type { TablePrinter } from '../resource-definition.ts';
import { ageColumn, column, nameColumn } from './columns.ts';
import { ageOf, asKind, nameOf } from './format.ts';

/** PodDisruptionBudgets: NAME MIN AVAILABLE MAX UNAVAILABLE ALLOWED DISRUPTIONS AGE. */
export const podDisruptionBudgetPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Min Available', 'The minimum number of pods that must be available.'),
    column('Max Unavailable', 'The maximum number of pods that may be unavailable.'),
    column('Allowed Disruptions', 'Calculated number of pods that may be disrupted at this time.', { type: 'integer' }),
    ageColumn(),
  ],
  cells(obj, now) {
    const pdb = asKind<PodDisruptionBudget>(obj);
    const min = pdb.spec?.minAvailable;
    const max = pdb.spec?.maxUnavailable;
    return [nameOf(pdb), min === undefined ? 'N/A' : String(min), max === undefined ? 'N/A' : String(max), pdb.status?.disruptionsAllowed ?? 0, ageOf(pdb, now)];
  },
};

/** Metrics and their current values, converting the v1 CPU-percentage shape the way the API server does. */
function hpaMetrics(obj: KubeObject): { specs: MetricSpec[]; statuses: MetricStatus[] } {
  const v2 = asKind<HpaV2>(obj);
  if (!obj.apiVersion?.endsWith('/v1')) return { specs: v2.spec?.metrics ?? [], statuses: v2.status?.currentMetrics ?? [] };
  const v1 = asKind<HpaV1>(obj);
  const target = v1.spec?.targetCPUUtilizationPercentage;
  const current = v1.status?.currentCPUUtilizationPercentage;
  const specs: MetricSpec[] = target === undefined ? [] : [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: target } } }];
  const statuses: MetricStatus[] = current === undefined ? [] : [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: current } } }];
  return { specs, statuses };
}

/** A Go `*Quantity` printed: `<nil>` for a missing pointer. */
function q(value: string | number | undefined): string {
  return value === undefined ? '<nil>' : String(value);
}

function percent(value: number | undefined, missing: string): string {
  return value === undefined ? missing : `${value}%`;
}

type Source = { target: { averageValue?: string | number; averageUtilization?: number; value?: string | number } };
type Current = { current: { averageValue?: string | number; averageUtilization?: number; value?: string | number } };

function valueMetric(spec: Source | undefined, status: Current | undefined): string {
  if (spec?.target.averageValue !== undefined) {
    const current = status?.current.averageValue !== undefined ? q(status.current.averageValue) : '<unknown>';
    return `${current}/${q(spec.target.averageValue)} (avg)`;
  }
  const current = status ? q(status.current.value) : '<unknown>';
  return `${current}/${q(spec?.target.value)}`;
}

function resourceMetric(name: string, spec: Source | undefined, status: Current | undefined): string {
  if (spec?.target.averageValue !== undefined) {
    const current = status ? q(status.current.averageValue) : '<unknown>';
    return `${name}: ${current}/${q(spec.target.averageValue)}`;
  }
  const current = percent(status?.current.averageUtilization, '<unknown>');
  return `${name}: ${current}/${percent(spec?.target.averageUtilization, '<auto>')}`;
}

function formatMetric(spec: MetricSpec, status: MetricStatus | undefined): string {
  switch (spec.type) {
    case 'External':
      return valueMetric(spec.external, status?.external);
    case 'Object':
      return valueMetric(spec.object, status?.object);
    case 'Pods':
      return `${status?.pods ? q(status.pods.current.averageValue) : '<unknown>'}/${q(spec.pods?.target.averageValue)}`;
    case 'Resource':
      return resourceMetric(spec.resource?.name ?? '', spec.resource, status?.resource);
    case 'ContainerResource':
      return resourceMetric(spec.containerResource?.name ?? '', spec.containerResource, status?.containerResource);
    default:
      return '<unknown type>';
  }
}

/** TARGETS: up to two `cpu: 50%/80%` entries matched to statuses by position, then `+ N more...`. */
function formatHpaMetrics(specs: MetricSpec[], statuses: MetricStatus[]): string {
  if (specs.length === 0) return '<none>';
  const list = specs.map((spec, i) => formatMetric(spec, statuses[i]));
  const shown = list.slice(0, 2).join(', ');
  return list.length > 2 ? `${shown} + ${list.length - 2} more...` : shown;
}

/** HorizontalPodAutoscalers (v1 and v2): NAME REFERENCE TARGETS MINPODS MAXPODS REPLICAS AGE. */
export const horizontalPodAutoscalerPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Reference', 'scaleTargetRef points to the target resource to scale, and is used to the pods for which metrics should be collected, as well as to actually change the replica count.'),
    column('Targets', 'metrics contains the specifications for which to use to calculate the desired replica count.'),
    column('MinPods', 'minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.'),
    column('MaxPods', 'maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up.'),
    column('Replicas', 'currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler.'),
    ageColumn(),
  ],
  cells(obj, now) {
    const hpa = asKind<HpaV2>(obj);
    const ref = hpa.spec?.scaleTargetRef;
    const { specs, statuses } = hpaMetrics(obj);
    const minPods = hpa.spec?.minReplicas === undefined ? '<unset>' : String(hpa.spec.minReplicas);
    return [nameOf(hpa), `${ref?.kind ?? ''}/${ref?.name ?? ''}`, formatHpaMetrics(specs, statuses), minPods, hpa.spec?.maxReplicas ?? 0, hpa.status?.currentReplicas ?? 0, ageOf(hpa, now)];
  },
};

/** PriorityClasses: NAME VALUE GLOBAL-DEFAULT AGE PREEMPTIONPOLICY. */
export const priorityClassPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Value', 'value represents the integer value of this priority class.', { type: 'integer' }),
    column('Global-Default', 'globalDefault specifies whether this PriorityClass should be considered as the default priority.', { type: 'boolean' }),
    ageColumn(),
    column('PreemptionPolicy', 'preemptionPolicy is the Policy for preempting pods with lower priority.'),
  ],
  cells(obj, now) {
    const pc = obj as { value?: number; globalDefault?: boolean; preemptionPolicy?: string };
    return [obj.metadata?.name ?? '', pc.value ?? 0, pc.globalDefault === true, ageOf(obj, now), pc.preemptionPolicy ?? 'PreemptLowerPriority'];
  },
};

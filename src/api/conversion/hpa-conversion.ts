import type { KubeObject } from '../types.ts';

type Rec = Record<string, unknown>;

/**
 * autoscaling/v1 HorizontalPodAutoscaler ↔ v2 (the storage version). v1 knows only a CPU
 * utilization target; v2 metrics beyond that survive a v1 round trip in an annotation, as upstream does.
 */
const METRICS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/metrics';

export function hpaV1ToV2(obj: KubeObject): KubeObject {
  const spec = (obj.spec ?? {}) as Rec;
  const { targetCPUUtilizationPercentage, ...rest } = spec;
  const annotations = { ...(obj.metadata?.annotations ?? {}) };
  const kept = annotations[METRICS_ANNOTATION];
  delete annotations[METRICS_ANNOTATION];
  const metrics: unknown[] = kept ? (JSON.parse(kept) as unknown[]) : [];
  if (typeof targetCPUUtilizationPercentage === 'number') {
    metrics.unshift({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: targetCPUUtilizationPercentage } } });
  }
  const status = (obj.status ?? {}) as Rec;
  const { currentCPUUtilizationPercentage, ...statusRest } = status;
  const currentMetrics = typeof currentCPUUtilizationPercentage === 'number' ? [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: currentCPUUtilizationPercentage } } }] : undefined;
  return {
    ...obj,
    apiVersion: 'autoscaling/v2',
    metadata: { ...obj.metadata, annotations: Object.keys(annotations).length ? annotations : undefined },
    spec: { ...rest, ...(metrics.length ? { metrics } : {}) },
    ...(obj.status ? { status: { ...statusRest, ...(currentMetrics ? { currentMetrics } : {}) } } : {}),
  };
}

export function hpaV2ToV1(obj: KubeObject): KubeObject {
  const spec = (obj.spec ?? {}) as Rec;
  const { metrics, behavior: _behavior, ...rest } = spec;
  const list = (metrics ?? []) as Rec[];
  const cpu = list.find((m) => m.type === 'Resource' && (m.resource as Rec | undefined)?.name === 'cpu' && ((m.resource as Rec).target as Rec | undefined)?.type === 'Utilization');
  const others = list.filter((m) => m !== cpu);
  const annotations = { ...(obj.metadata?.annotations ?? {}) };
  if (others.length) annotations[METRICS_ANNOTATION] = JSON.stringify(others);
  const status = (obj.status ?? {}) as Rec;
  const { currentMetrics, conditions: _c, ...statusRest } = status;
  const currentCpu = ((currentMetrics ?? []) as Rec[]).find((m) => m.type === 'Resource' && (m.resource as Rec | undefined)?.name === 'cpu');
  const currentUtil = ((currentCpu?.resource as Rec | undefined)?.current as Rec | undefined)?.averageUtilization;
  const targetUtil = ((cpu?.resource as Rec | undefined)?.target as Rec | undefined)?.averageUtilization;
  return {
    ...obj,
    apiVersion: 'autoscaling/v1',
    metadata: { ...obj.metadata, ...(Object.keys(annotations).length ? { annotations } : {}) },
    spec: { ...rest, ...(typeof targetUtil === 'number' ? { targetCPUUtilizationPercentage: targetUtil } : {}) },
    ...(obj.status ? { status: { ...statusRest, ...(typeof currentUtil === 'number' ? { currentCPUUtilizationPercentage: currentUtil } : {}) } } : {}),
  };
}

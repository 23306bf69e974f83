import type { HorizontalPodAutoscaler as HpaV1 } from 'kubernetes-types/autoscaling/v1.js';
import type { HPAScalingRules, HorizontalPodAutoscaler as HpaV2, MetricSpec, MetricTarget } from 'kubernetes-types/autoscaling/v2.js';
import type { FieldError, KubeObject } from '../types.ts';
import { atLeast, oneOf, validateQuantity } from './common-rules.ts';
import { invalid, invalidEach, required } from './field-errors.ts';
import { FieldPath } from './field-path.ts';
import { pathSegmentName } from './name-rules.ts';

const SPEC = FieldPath.root('spec');
const METRIC_SOURCES: Record<string, string> = {
  Object: 'object',
  Pods: 'pods',
  Resource: 'resource',
  ContainerResource: 'containerResource',
  External: 'external',
};

interface ScaleTargetRef {
  kind?: string;
  name?: string;
}

/** HorizontalPodAutoscaler at autoscaling/v1 or v2 (told apart by `apiVersion`; v2 when absent). */
export function validateHorizontalPodAutoscaler(obj: KubeObject): FieldError[] {
  const spec = (obj as HpaV2).spec;
  if (!spec) return [required(SPEC)];
  const errs = [...validateScaleTargetRef(spec.scaleTargetRef, SPEC.child('scaleTargetRef')), ...validateReplicaBounds(spec.minReplicas, spec.maxReplicas)];
  if (obj.apiVersion === 'autoscaling/v1') {
    const target = (obj as HpaV1).spec?.targetCPUUtilizationPercentage;
    if (target !== undefined && target < 1) errs.push(invalid(SPEC.child('targetCPUUtilizationPercentage'), target, 'must be greater than 0'));
    return errs;
  }
  (spec.metrics ?? []).forEach((m, i) => errs.push(...validateMetric(m, SPEC.child('metrics').index(i))));
  if (spec.behavior) {
    errs.push(...validateScalingRules(spec.behavior.scaleUp, SPEC.child('behavior', 'scaleUp')));
    errs.push(...validateScalingRules(spec.behavior.scaleDown, SPEC.child('behavior', 'scaleDown')));
  }
  return errs;
}

function validateScaleTargetRef(ref: ScaleTargetRef | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!ref?.kind) errs.push(required(path.child('kind')));
  else errs.push(...invalidEach(path.child('kind'), ref.kind, pathSegmentName(ref.kind)));
  if (!ref?.name) errs.push(required(path.child('name')));
  else errs.push(...invalidEach(path.child('name'), ref.name, pathSegmentName(ref.name)));
  return errs;
}

function validateReplicaBounds(min: number | undefined, max: number | undefined): FieldError[] {
  const errs = atLeast(min, 1, SPEC.child('minReplicas'));
  if (max === undefined) return [...errs, required(SPEC.child('maxReplicas'))];
  if (max < 1) errs.push(invalid(SPEC.child('maxReplicas'), max, 'must be greater than 0'));
  if (min !== undefined && max < min) errs.push(invalid(SPEC.child('maxReplicas'), max, 'must be greater than or equal to `minReplicas`'));
  return errs;
}

function validateMetric(metric: MetricSpec, path: FieldPath): FieldError[] {
  const errs = oneOf(metric.type, Object.keys(METRIC_SOURCES).sort(), path.child('type'), true);
  const field = METRIC_SOURCES[metric.type];
  if (!field) return errs;
  const source = (metric as unknown as Record<string, { target?: MetricTarget; name?: string; metric?: { name?: string } } | undefined>)[field];
  if (!source) return [...errs, required(path.child(field), 'must populate information for the given metric source')];
  const sourcePath = path.child(field);
  if ((field === 'resource' || field === 'containerResource') && !source.name) errs.push(required(sourcePath.child('name')));
  if ((field === 'pods' || field === 'object' || field === 'external') && !source.metric?.name) errs.push(required(sourcePath.child('metric', 'name')));
  return [...errs, ...validateTarget(source.target, sourcePath.child('target'))];
}

function validateTarget(target: MetricTarget | undefined, path: FieldPath): FieldError[] {
  if (!target) return [required(path)];
  const errs = oneOf(target.type, ['AverageValue', 'Utilization', 'Value'], path.child('type'), true);
  if (target.averageUtilization !== undefined && target.averageUtilization < 1) {
    errs.push(invalid(path.child('averageUtilization'), target.averageUtilization, 'must be greater than 0'));
  }
  if (target.value !== undefined) errs.push(...validateQuantity(target.value, path.child('value')));
  if (target.averageValue !== undefined) errs.push(...validateQuantity(target.averageValue, path.child('averageValue')));
  const set = [target.value, target.averageValue, target.averageUtilization].filter((v) => v !== undefined).length;
  if (set === 0) errs.push(required(path, 'must set either a target raw value, a target average value, or a target utilization'));
  return errs;
}

function validateScalingRules(rules: HPAScalingRules | undefined, path: FieldPath): FieldError[] {
  if (!rules) return [];
  const errs = oneOf(rules.selectPolicy, ['Disabled', 'Max', 'Min'], path.child('selectPolicy'));
  const window = rules.stabilizationWindowSeconds;
  if (window !== undefined && (window < 0 || window > 3600)) {
    errs.push(invalid(path.child('stabilizationWindowSeconds'), window, 'must be less than or equal to 3600'));
  }
  (rules.policies ?? []).forEach((p, i) => {
    const at = path.child('policies').index(i);
    errs.push(...oneOf(p.type, ['Percent', 'Pods'], at.child('type'), true));
    if (p.value <= 0) errs.push(invalid(at.child('value'), p.value, 'must be greater than zero'));
    if (p.periodSeconds <= 0 || p.periodSeconds > 1800) errs.push(invalid(at.child('periodSeconds'), p.periodSeconds, 'must be greater than zero and less than or equal to 1800'));
  });
  return errs;
}

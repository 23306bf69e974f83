import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import type { FieldError, KubeObject } from '../types.ts';
import { notMoreThan100Percent, oneOf, validateIntOrPercent, validateLabelSelector } from './common-rules.ts';
import { invalid } from './field-errors.ts';
import { FieldPath } from './field-path.ts';

const SPEC = FieldPath.root('spec');

/** PodDisruptionBudget: minAvailable or maxUnavailable (not both), each an int-or-percent ≤ 100%. */
export function validatePodDisruptionBudget(obj: KubeObject): FieldError[] {
  const spec = (obj as PodDisruptionBudget).spec ?? {};
  const errs: FieldError[] = [];
  if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) {
    errs.push(invalid(SPEC, spec, 'minAvailable and maxUnavailable cannot be both set'));
  }
  for (const field of ['minAvailable', 'maxUnavailable'] as const) {
    errs.push(...validateIntOrPercent(spec[field], SPEC.child(field)), ...notMoreThan100Percent(spec[field], SPEC.child(field)));
  }
  errs.push(...validateLabelSelector(spec.selector, SPEC.child('selector')));
  errs.push(...oneOf(spec.unhealthyPodEvictionPolicy, ['AlwaysAllow', 'IfHealthyBudget'], SPEC.child('unhealthyPodEvictionPolicy')));
  return errs;
}

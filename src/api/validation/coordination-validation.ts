import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type { FieldError, KubeObject } from '../types.ts';
import { nonNegative } from './common-rules.ts';
import { invalid } from './field-errors.ts';
import { FieldPath } from './field-path.ts';

/** Lease: a positive duration and non-negative transition count. */
export function validateLease(obj: KubeObject): FieldError[] {
  const spec = (obj as Lease).spec ?? {};
  const specPath = FieldPath.root('spec');
  const errs = nonNegative(spec.leaseTransitions, specPath.child('leaseTransitions'));
  if (spec.leaseDurationSeconds !== undefined && spec.leaseDurationSeconds <= 0) {
    errs.push(invalid(specPath.child('leaseDurationSeconds'), spec.leaseDurationSeconds, 'must be greater than 0'));
  }
  return errs;
}

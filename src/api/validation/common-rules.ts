import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import type { FieldError } from '../types.ts';
import { isQuantity, parseQuantity, QUANTITY_FORMAT_MESSAGE } from '../quantity.ts';
import { invalid, invalidEach, notSupported, required } from './field-errors.ts';
import type { FieldPath } from './field-path.ts';
import { labelValue, qualifiedName } from './name-rules.ts';

/* Rules shared by many kinds: numbers, labels, selectors, quantities, immutability. */

export const NON_NEGATIVE = 'must be greater than or equal to 0';
export const IMMUTABLE = 'field is immutable';

/** Plain objects only (not arrays, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Structural equality of two JSON values (missing and `undefined` are equal). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => jsonEqual(a[k], b[k]));
  }
  return false;
}

/** `value ≥ 0` when set. */
export function nonNegative(value: number | undefined, path: FieldPath): FieldError[] {
  return value !== undefined && value < 0 ? [invalid(path, value, NON_NEGATIVE)] : [];
}

/** `value ≥ min` when set, with upstream's `must be greater than or equal to N` text. */
export function atLeast(value: number | undefined, min: number, path: FieldPath): FieldError[] {
  return value !== undefined && value < min ? [invalid(path, value, `must be greater than or equal to ${min}`)] : [];
}

/** `value > 0` when set (upstream's `ValidatePositiveField`... `must be greater than zero`). */
export function positive(value: number | undefined, path: FieldPath): FieldError[] {
  return value !== undefined && value <= 0 ? [invalid(path, value, 'must be greater than zero')] : [];
}

/** An enum field: required when `mustBeSet`, else only checked when set. */
export function oneOf(value: string | undefined, supported: readonly string[], path: FieldPath, mustBeSet = false): FieldError[] {
  if (value === undefined || value === '') return mustBeSet ? [required(path)] : [];
  return supported.includes(value) ? [] : [notSupported(path, value, supported)];
}

/** Reports `newValue` as immutable when it differs from `oldValue`. */
export function immutable(newValue: unknown, oldValue: unknown, path: FieldPath): FieldError[] {
  return jsonEqual(newValue, oldValue) ? [] : [invalid(path, newValue, IMMUTABLE)];
}

/** Label map: qualified-name keys, label-value values. */
export function validateLabels(labels: Record<string, string> | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const [key, value] of Object.entries(labels ?? {})) {
    errs.push(...invalidEach(path, key, qualifiedName(key)));
    errs.push(...invalidEach(path, value, labelValue(String(value))));
  }
  return errs;
}

const SELECTOR_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/** A metav1 LabelSelector (matchLabels and matchExpressions). */
export function validateLabelSelector(selector: LabelSelector | undefined, path: FieldPath): FieldError[] {
  if (!selector) return [];
  const errs = validateLabels(selector.matchLabels, path.child('matchLabels'));
  (selector.matchExpressions ?? []).forEach((req, i) => {
    const at = path.child('matchExpressions').index(i);
    const values = req.values ?? [];
    errs.push(...oneOf(req.operator, SELECTOR_OPERATORS, at.child('operator'), true));
    if ((req.operator === 'In' || req.operator === 'NotIn') && values.length === 0) {
      errs.push(required(at.child('values'), "must be specified when `operator` is 'In' or 'NotIn'"));
    }
    if ((req.operator === 'Exists' || req.operator === 'DoesNotExist') && values.length > 0) {
      errs.push({ field: at.child('values').toString(), type: 'FieldValueForbidden', detail: "may not be specified when `operator` is 'Exists' or 'DoesNotExist'" });
    }
    errs.push(...invalidEach(at.child('key'), req.key, qualifiedName(req.key ?? '')));
  });
  return errs;
}

/** True when `labels` satisfy `selector` (an empty selector matches everything). */
export function selectorMatches(selector: LabelSelector, labels: Record<string, string> | undefined): boolean {
  const have = labels ?? {};
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => have[k] === v);
  return byLabels && (selector.matchExpressions ?? []).every((req) => {
    const value = have[req.key];
    const values = req.values ?? [];
    switch (req.operator) {
      case 'In': return value !== undefined && values.includes(value);
      case 'NotIn': return value === undefined || !values.includes(value);
      case 'Exists': return value !== undefined;
      case 'DoesNotExist': return value === undefined;
      default: return false;
    }
  });
}

/** True for a selector that selects nothing in particular (no labels, no expressions). */
export function selectorIsEmpty(selector: LabelSelector | undefined): boolean {
  return !selector || (Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0);
}

/** A resource quantity that must parse and be ≥ 0. */
export function validateQuantity(value: unknown, path: FieldPath): FieldError[] {
  if (!isQuantity(value)) return [invalid(path, value, QUANTITY_FORMAT_MESSAGE)];
  return parseQuantity(value).nanos < 0n ? [invalid(path, value, NON_NEGATIVE)] : [];
}

const PERCENT = /^[0-9]+%$/;

/** An int-or-percent (`maxSurge`, `minAvailable`): a non-negative integer or `N%`. */
export function validateIntOrPercent(value: number | string | undefined, path: FieldPath): FieldError[] {
  if (value === undefined) return [];
  if (typeof value === 'number') return nonNegative(value, path);
  if (!PERCENT.test(value)) {
    return [invalid(path, value, "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')")];
  }
  return [];
}

/** Int-or-percent not above 100%. */
export function notMoreThan100Percent(value: number | string | undefined, path: FieldPath): FieldError[] {
  if (typeof value !== 'string' || !PERCENT.test(value)) return [];
  return Number(value.slice(0, -1)) > 100 ? [invalid(path, value, 'must not be greater than 100%')] : [];
}

/** Zero for 0 and `0%`, so two settings can be checked for "not both zero". */
export function isZeroIntOrPercent(value: number | string | undefined): boolean {
  return value === 0 || value === '0%' || value === '0';
}

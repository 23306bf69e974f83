import type { KubeObject } from '../types.ts';
import type { LabelSelector, LabelSelectorRequirement, ObjectMeta, OwnerReference } from 'kubernetes-types/meta/v1.js';
import { translateTimestampSince } from './human-duration.ts';

/**
 * Views a stored object as its typed wire shape. Every field of the kubernetes-types interfaces
 * is optional, so printers must still treat each one as possibly absent.
 */
export function asKind<T>(obj: KubeObject): T {
  return obj as unknown as T;
}

export function nameOf(obj: { metadata?: ObjectMeta }): string {
  return obj.metadata?.name ?? '';
}

/** The AGE cell of an object. */
export function ageOf(obj: { metadata?: ObjectMeta }, now: Date): string {
  return translateTimestampSince(obj.metadata?.creationTimestamp, now);
}

/** Comma-joined container names and images, as upstream's `layoutContainerCells`. */
export function layoutContainerCells(containers: Array<{ name?: string; image?: string }> | undefined): [string, string] {
  const list = containers ?? [];
  return [list.map((c) => c.name ?? '').join(','), list.map((c) => c.image ?? '').join(',')];
}

/** `k=v` pairs sorted by key, or `<none>`, as apimachinery's `labels.FormatLabels`. */
export function formatLabels(labels: Record<string, string> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${labels?.[k] ?? ''}`).join(',');
}

function requirementString(r: LabelSelectorRequirement): string {
  const values = [...new Set(r.values ?? [])].sort().join(',');
  switch (r.operator) {
    case 'In':
      return `${r.key} in (${values})`;
    case 'NotIn':
      return `${r.key} notin (${values})`;
    case 'Exists':
      return r.key;
    case 'DoesNotExist':
      return `!${r.key}`;
    default:
      throw new Error(`invalid label selector operator ${r.operator}`);
  }
}

/**
 * A label selector in selector syntax (`app=web,tier in (a,b)`), requirements sorted by key;
 * `''` for a nil or empty selector. Throws on an unknown operator, as the Go conversion errors.
 */
export function labelSelectorString(selector: LabelSelector | undefined): string {
  if (selector === undefined) return '';
  const parts: Array<[string, string]> = Object.entries(selector.matchLabels ?? {}).map(([k, v]) => [k, `${k}=${v}`]);
  for (const r of selector.matchExpressions ?? []) parts.push([r.key, requirementString(r)]);
  return parts
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map((p) => p[1])
    .join(',');
}

/** As `metav1.FormatLabelSelector`: `<none>` when empty, `<error>` when invalid. */
export function formatLabelSelector(selector: LabelSelector | undefined): string {
  try {
    const text = labelSelectorString(selector);
    return text === '' ? '<none>' : text;
  } catch {
    return '<error>';
  }
}

/** The owner reference marked `controller: true`, if any. */
export function controllerOf(meta: ObjectMeta | undefined): OwnerReference | undefined {
  return meta?.ownerReferences?.find((ref) => ref.controller === true);
}

/** A quantity as its string form (`1Gi`, `500m`); `0` when absent, as a zero Go Quantity prints. */
export function quantityString(q: string | number | undefined): string {
  return q === undefined ? '0' : String(q);
}

/** `True`/`False`, or `<unset>` for a nil pointer, as upstream's `printBoolPtr`. */
export function boolPtrString(value: boolean | undefined): string {
  if (value === undefined) return '<unset>';
  return value ? 'True' : 'False';
}

/** Joins the first `max` items and appends `+ N more...`, or `<unset>` for none (upstream `listWithMoreString`). */
export function listWithMore(items: string[], max: number): string {
  const shown = items.slice(0, max).join(',');
  if (items.length > max) return `${shown} + ${items.length - max} more...`;
  return shown === '' ? '<unset>' : shown;
}

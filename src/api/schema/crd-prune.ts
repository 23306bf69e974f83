import type { JsonSchema } from './types.ts';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Fields every embedded object (and the root) keeps even when the schema does not list them. */
const OBJECT_META_FIELDS = ['apiVersion', 'kind', 'metadata'];

function pruneObject(value: Record<string, unknown>, schema: JsonSchema, path: string, keepMeta: boolean, removed: string[]): void {
  const props = schema.properties ?? {};
  const extra = schema.additionalProperties;
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  for (const key of Object.keys(value)) {
    const childPath = path === '' ? key : `${path}.${key}`;
    const known = Object.hasOwn(props, key) ? props[key] : undefined;
    if (known !== undefined) prune(value[key], known, childPath, removed);
    else if (typeof extra === 'object') prune(value[key], extra, childPath, removed);
    else if (!(keepMeta && OBJECT_META_FIELDS.includes(key)) && !preserve && extra !== true) {
      delete value[key];
      removed.push(childPath);
    }
  }
}

function prune(value: unknown, schema: JsonSchema, path: string, removed: string[]): void {
  if (Array.isArray(value)) {
    const items = schema.items;
    if (items !== undefined) value.forEach((item, i) => prune(item, items, `${path}[${i}]`, removed));
  } else if (isPlainObject(value)) {
    pruneObject(value, schema, path, schema['x-kubernetes-embedded-resource'] === true, removed);
  }
}

/**
 * Removes, in place, every field a structural schema does not specify, as kube-apiserver prunes
 * custom resources; `x-kubernetes-preserve-unknown-fields` subtrees and maps are kept. The root and
 * embedded resources keep `apiVersion`, `kind` and `metadata`. Returns the removed paths
 * (`spec.bogus`, `spec.items[0].extra`).
 */
export function pruneUnknownFields(obj: unknown, schema: JsonSchema): string[] {
  const removed: string[] = [];
  if (isPlainObject(obj)) pruneObject(obj, schema, '', true, removed);
  return removed;
}

import { isJsonObject, type JsonObject } from './json-value.ts';

/**
 * A set of field paths, like structured-merge-diff's `fieldpath.Set`. Each member is a path
 * encoded as the JSON array of its FieldsV1 elements, e.g. `["f:spec","f:replicas"]` or
 * `["f:spec","f:containers","k:{\"name\":\"nginx\"}"]`.
 */
export type FieldSet = ReadonlySet<string>;

/** Encodes a path (FieldsV1 elements) as a FieldSet member. */
export function pathKey(elements: readonly string[]): string {
  return JSON.stringify(elements);
}

/** Decodes a FieldSet member into its FieldsV1 elements. */
export function pathElements(key: string): string[] {
  return JSON.parse(key) as string[];
}

/** FieldsV1 element for an object field. */
export const fieldElement = (name: string): string => `f:${name}`;

/** FieldsV1 element for a list-map item: key fields sorted by name, values as JSON. */
export function keyElement(key: Record<string, unknown>): string {
  const sorted = Object.fromEntries(Object.keys(key).sort().map((name) => [name, key[name]]));
  return `k:${JSON.stringify(sorted)}`;
}

/** FieldsV1 element for a set item. */
export const valueElement = (value: unknown): string => `v:${JSON.stringify(value)}`;

export function union(...sets: FieldSet[]): Set<string> {
  const result = new Set<string>();
  for (const set of sets) for (const key of set) result.add(key);
  return result;
}

export function difference(a: FieldSet, b: FieldSet): Set<string> {
  return new Set([...a].filter((key) => !b.has(key)));
}

export function intersection(a: FieldSet, b: FieldSet): Set<string> {
  return new Set([...a].filter((key) => b.has(key)));
}

/** The set plus every ancestor of its members (structured-merge-diff's "named fields are members"). */
export function withAncestors(set: FieldSet): Set<string> {
  const result = new Set<string>();
  for (const key of set) {
    const elements = pathElements(key);
    for (let length = 1; length <= elements.length; length++) result.add(pathKey(elements.slice(0, length)));
  }
  return result;
}

/** Removes every member equal to, or below, one of `prefixes`' members. */
export function withoutSubtrees(set: FieldSet, prefixes: FieldSet): Set<string> {
  return new Set(
    [...set].filter((key) => {
      const elements = pathElements(key);
      return !elements.some((_, i) => prefixes.has(pathKey(elements.slice(0, i + 1))));
    }),
  );
}

/**
 * The FieldsV1 wire form: nested objects keyed by element; a member that also has children
 * carries `".": {}`. Children are sorted like structured-merge-diff serialises them.
 */
export function toFieldsV1(set: FieldSet): JsonObject {
  const root: JsonObject = {};
  for (const key of set) {
    let node = root;
    for (const element of pathElements(key)) {
      const child = node[element];
      node = isJsonObject(child) ? child : (node[element] = {});
    }
    node['.'] = {};
  }
  return normalize(root);
}

/** `"."` only survives where a member also has children; keys come out in a stable order. */
function normalize(node: JsonObject): JsonObject {
  const keys = Object.keys(node).filter((key) => key !== '.').sort(compareElements);
  const result: JsonObject = {};
  if ('.' in node && keys.length > 0) result['.'] = {};
  for (const key of keys) result[key] = normalize(node[key] as JsonObject);
  return result;
}

const elementOrder = ['f', 'k', 'v', 'i'];
function compareElements(a: string, b: string): number {
  const byKind = elementOrder.indexOf(a.charAt(0)) - elementOrder.indexOf(b.charAt(0));
  return byKind !== 0 ? byKind : a < b ? -1 : a > b ? 1 : 0;
}

/** Parses FieldsV1 JSON back into a FieldSet; unknown shapes are ignored rather than fatal. */
export function fromFieldsV1(fields: unknown): Set<string> {
  const result = new Set<string>();
  const visit = (node: unknown, path: string[]): void => {
    if (!isJsonObject(node)) return;
    const children = Object.keys(node).filter((key) => key !== '.');
    if (path.length > 0 && ('.' in node || children.length === 0)) result.add(pathKey(path));
    for (const key of children) visit(node[key], [...path, key]);
  };
  visit(fields, []);
  return result;
}

/** A path as structured-merge-diff prints it in conflicts: `.spec.containers[name="nginx"].image`. */
export function pathString(key: string): string {
  return pathElements(key).map(elementString).join('');
}

function elementString(element: string): string {
  const body = element.slice(2);
  switch (element.charAt(0)) {
    case 'f':
      return `.${body}`;
    case 'k': {
      const fields = JSON.parse(body) as JsonObject;
      return `[${Object.entries(fields).map(([name, value]) => `${name}=${JSON.stringify(value)}`).join(',')}]`;
    }
    case 'v':
      return `[=${body}]`;
    default:
      return `[${body}]`;
  }
}

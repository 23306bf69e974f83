import type { JsonSchema, SchemaSet } from '../schema/types.ts';
import { fieldElement, keyElement, pathElements, pathKey, valueElement, type FieldSet } from './field-set.ts';
import { isJsonObject, type JsonObject } from './json-value.ts';
import { fieldSchema, isAtomicMap, isDeclaredField, itemSchema, listKind, resolveSchema } from './schema-view.ts';

/** A FieldSet member with the value found there; `leaf` members are compared by value. */
export interface FieldValue {
  value: unknown;
  leaf: boolean;
}

/**
 * Every member path of `obj` (as structured-merge-diff's ToFieldSet computes it) with its value:
 * scalars, atomic lists/maps, nulls and empty objects are leaves; list items and entries of
 * free-form maps are members too; non-empty struct fields are not.
 */
export function fieldValuesOf(obj: unknown, schema: JsonSchema | undefined, schemas: SchemaSet): Map<string, FieldValue> {
  const out = new Map<string, FieldValue>();
  walkValue(obj, resolveSchema(schema, schemas), [], schemas, out);
  return out;
}

/** The FieldSet of `obj` under `schema` (all member paths). */
export function fieldSetOf(obj: unknown, schema: JsonSchema, schemas: SchemaSet): Set<string> {
  return new Set(fieldValuesOf(obj, schema, schemas).keys());
}

function walkValue(value: unknown, schema: JsonSchema | undefined, path: string[], schemas: SchemaSet, out: Map<string, FieldValue>): void {
  if (Array.isArray(value)) walkList(value, schema, path, schemas, out);
  else if (isJsonObject(value)) walkObject(value, schema, path, schemas, out);
  else if (path.length > 0) out.set(pathKey(path), { value, leaf: true });
}

function walkObject(obj: JsonObject, schema: JsonSchema | undefined, path: string[], schemas: SchemaSet, out: Map<string, FieldValue>): void {
  if (isAtomicMap(schema)) {
    if (path.length > 0) out.set(pathKey(path), { value: obj, leaf: true });
    return;
  }
  for (const [key, child] of Object.entries(obj)) {
    const childPath = [...path, fieldElement(key)];
    walkValue(child, fieldSchema(schema, key, schemas), childPath, schemas, out);
    const empty = child === null || (isJsonObject(child) && Object.keys(child).length === 0);
    if (empty) out.set(pathKey(childPath), { value: child, leaf: true });
    else if (!isDeclaredField(schema, key) && !out.has(pathKey(childPath))) out.set(pathKey(childPath), { value: child, leaf: false });
  }
}

function walkList(list: unknown[], schema: JsonSchema | undefined, path: string[], schemas: SchemaSet, out: Map<string, FieldValue>): void {
  const kind = listKind(schema);
  if (kind.kind === 'atomic') {
    out.set(pathKey(path), { value: list, leaf: true });
    return;
  }
  const elementSchema = itemSchema(schema, schemas);
  list.forEach((item, index) => {
    const itemPath = [...path, listItemElement(item, index, schema, schemas)];
    if (kind.kind === 'map' && isJsonObject(item)) walkObject(item, elementSchema, itemPath, schemas, out);
    out.set(pathKey(itemPath), { value: item, leaf: kind.kind === 'set' });
  });
}

/**
 * Defaults for list-map key fields that upstream declares in OpenAPI (`protocol: TCP` on
 * container/service/endpoint ports); used only when the schema itself carries no `default`,
 * so a defaulted live item and an applied item without the field still name the same element.
 */
const keyFieldDefaults: Readonly<Record<string, unknown>> = { protocol: 'TCP' };

/**
 * The element naming one list item: `k:{…}` by the list-map keys (schema defaults fill missing
 * key fields, as for `protocol: TCP`), `v:<json>` for sets, `i:<index>` when neither applies.
 */
export function listItemElement(item: unknown, index: number, listSchema: JsonSchema | undefined, schemas: SchemaSet): string {
  const kind = listKind(listSchema);
  if (kind.kind === 'set') return valueElement(item);
  if (kind.kind !== 'map' || !isJsonObject(item)) return `i:${index}`;
  const elementSchema = itemSchema(listSchema, schemas);
  const key: Record<string, unknown> = {};
  for (const name of kind.keys) {
    const value = item[name] ?? fieldSchema(elementSchema, name, schemas)?.default ?? keyFieldDefaults[name];
    if (value !== undefined) key[name] = value;
  }
  return Object.keys(key).length > 0 ? keyElement(key) : `i:${index}`;
}

/**
 * Deletes the value at each path from `obj` (mutated). Removing a list item removes it whole;
 * paths that do not exist are ignored.
 */
export function removePaths(obj: JsonObject, paths: FieldSet, schema: JsonSchema | undefined, schemas: SchemaSet): void {
  // Parents first: once a list item loses its key fields it could no longer be found.
  const sorted = [...paths].map(pathElements).sort((a, b) => a.length - b.length);
  for (const elements of sorted) removePath(obj, elements, resolveSchema(schema, schemas), schemas);
}

function removePath(container: unknown, elements: string[], schema: JsonSchema | undefined, schemas: SchemaSet): void {
  const [element, ...rest] = elements;
  if (element === undefined) return;
  if (element.startsWith('f:') && isJsonObject(container)) {
    const name = element.slice(2);
    if (rest.length === 0) delete container[name];
    else removePath(container[name], rest, fieldSchema(schema, name, schemas), schemas);
    return;
  }
  if (!Array.isArray(container)) return;
  const index = container.findIndex((item, i) => listItemElement(item, i, schema, schemas) === element);
  if (index < 0) return;
  if (rest.length === 0) container.splice(index, 1);
  else removePath(container[index], rest, itemSchema(schema, schemas), schemas);
}

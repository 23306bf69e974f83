import type { JsonSchema, SchemaSet } from '../schema/types.ts';
import { badRequest } from './errors.ts';
import { cloneJson, isJsonObject, type JsonObject } from './json-value.ts';
import { fieldSchema, itemSchema, patchStrategies, resolveSchema } from './schema-view.ts';
import { applyElementOrder, deleteFromPrimitiveList, mergeList } from './strategic-list.ts';

const deleteFromPrimitiveListPrefix = '$deleteFromPrimitiveList/';
const setElementOrderPrefix = '$setElementOrder/';

/**
 * Applies a Kubernetes strategic merge patch (apimachinery `strategicpatch` semantics).
 * Maps merge and `null` deletes; each list follows its schema's `x-kubernetes-patch-strategy`
 * (default replace; `merge` by `x-kubernetes-patch-merge-key`, or set union for scalars);
 * honours `$patch`, `$retainKeys`, `$setElementOrder/<f>` and `$deleteFromPrimitiveList/<f>`.
 * Fields without schema behave as in a JSON merge patch. Inputs are not mutated.
 */
export function applyStrategicMergePatch(original: unknown, patch: unknown, schema: JsonSchema, schemas: SchemaSet): unknown {
  if (!isJsonObject(patch)) throw badRequest('invalid JSON document');
  const base = isJsonObject(original) ? cloneJson(original) : {};
  return mergeObject(base, cloneJson(patch), resolveSchema(schema, schemas), schemas);
}

/** Merges `patch` into `original` (both owned copies, mutated freely). */
function mergeObject(original: JsonObject, patch: JsonObject, schema: JsonSchema | undefined, schemas: SchemaSet): JsonObject {
  const directive = patch.$patch;
  if (directive !== undefined) {
    delete patch.$patch;
    if (directive === 'replace') return stripDirectives(patch) as JsonObject;
    if (directive === 'delete') return {};
    if (directive !== 'merge') {
      throw badRequest(`unknown patch type: ${String(directive)} in map: ${JSON.stringify(patch)}`);
    }
  }
  applyRetainKeys(original, patch);
  applyElementOrders(original, patch, schema, schemas);
  for (const [key, patchValue] of Object.entries(patch)) {
    if (key.startsWith(deleteFromPrimitiveListPrefix)) {
      deleteListed(original, key.slice(deleteFromPrimitiveListPrefix.length), patchValue);
    } else {
      mergeField(original, key, patchValue, schema, schemas);
    }
  }
  return original;
}

function mergeField(original: JsonObject, key: string, patchValue: unknown, schema: JsonSchema | undefined, schemas: SchemaSet): void {
  const current = original[key];
  if (patchValue === null) {
    delete original[key];
    return;
  }
  const childSchema = fieldSchema(schema, key, schemas);
  const strategies = patchStrategies(childSchema);
  if (isJsonObject(current) && isJsonObject(patchValue) && !strategies.includes('replace')) {
    original[key] = mergeObject(current, patchValue, childSchema, schemas);
  } else if (Array.isArray(current) && Array.isArray(patchValue) && strategies.includes('merge')) {
    original[key] = mergeListField(current, patchValue, childSchema, schemas);
  } else {
    setFromPatch(original, key, patchValue);
  }
}

function mergeListField(current: unknown[], patchValue: unknown[], listSchema: JsonSchema | undefined, schemas: SchemaSet): unknown[] {
  const elementSchema = itemSchema(listSchema, schemas);
  return mergeList(
    current,
    patchValue,
    listSchema?.['x-kubernetes-patch-merge-key'],
    (originalItem, patchItem) => mergeObject(originalItem, patchItem, elementSchema, schemas),
    stripDirectives,
  );
}

/** New or differently-typed values are copied without nulls and directives (as upstream does). */
function setFromPatch(original: JsonObject, key: string, patchValue: unknown): void {
  if (isJsonObject(patchValue) && patchValue.$patch !== undefined) {
    delete original[key];
    return;
  }
  original[key] = stripDirectives(patchValue);
}

function deleteListed(original: JsonObject, field: string, toDelete: unknown): void {
  if (!Array.isArray(toDelete)) throw badRequest('invalid patch format of primitive list');
  const current = original[field];
  if (Array.isArray(current)) original[field] = deleteFromPrimitiveList(current, toDelete);
}

/** `$retainKeys`: clears every key of the original not listed; the patch may only set listed keys. */
function applyRetainKeys(original: JsonObject, patch: JsonObject): void {
  if (!('$retainKeys' in patch)) return;
  const retained = patch.$retainKeys;
  delete patch.$retainKeys;
  if (!Array.isArray(retained)) throw badRequest('invalid patch format of retainKeys');
  for (const [key, value] of Object.entries(patch)) {
    const isDirective = key.startsWith(deleteFromPrimitiveListPrefix) || key.startsWith(setElementOrderPrefix);
    if (value !== null && !isDirective && !retained.includes(key)) {
      throw badRequest('invalid patch format of retainKeys');
    }
  }
  for (const key of Object.keys(original)) if (!retained.includes(key)) delete original[key];
}

/** Merges each list that has a `$setElementOrder/<field>` and puts it in the requested order. */
function applyElementOrders(original: JsonObject, patch: JsonObject, schema: JsonSchema | undefined, schemas: SchemaSet): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(setElementOrderPrefix)) continue;
    const order = patch[key];
    delete patch[key];
    const field = key.slice(setElementOrderPrefix.length);
    if (!Array.isArray(order) || field === '') throw badRequest('invalid patch format of setElementOrder list');
    const current = original[field];
    const patchList = patch[field];
    if (patchList !== undefined && !Array.isArray(patchList)) throw badRequest('invalid patch format of setElementOrder list');
    if (current !== undefined && !Array.isArray(current)) continue;
    delete patch[field];
    const merged = mergeOrderedField(current, patchList, fieldSchema(schema, field, schemas), schemas);
    if (merged === undefined) continue;
    const mergeKey = fieldSchema(schema, field, schemas)?.['x-kubernetes-patch-merge-key'];
    original[field] = applyElementOrder(merged, order, current ?? [], mergeKey);
  }
}

function mergeOrderedField(
  current: unknown[] | undefined,
  patchList: unknown[] | undefined,
  listSchema: JsonSchema | undefined,
  schemas: SchemaSet,
): unknown[] | undefined {
  if (patchList === undefined) return current;
  if (current === undefined) return stripDirectives(patchList) as unknown[];
  if (patchStrategies(listSchema).includes('merge')) return mergeListField(current, patchList, listSchema, schemas);
  return stripDirectives(patchList) as unknown[];
}

/** Drops `null`s and `$`-directives from a value taken verbatim from the patch. */
function stripDirectives(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.filter((item) => !(isJsonObject(item) && item.$patch !== undefined)).map(stripDirectives);
  }
  if (!isJsonObject(value)) return value;
  const result: JsonObject = {};
  for (const [key, child] of Object.entries(value)) {
    if (child === null || key.startsWith('$')) continue;
    if (isJsonObject(child) && child.$patch !== undefined) continue;
    result[key] = stripDirectives(child);
  }
  return result;
}

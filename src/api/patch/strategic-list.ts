import { badRequest, invalidPatch, PatchError } from './errors.ts';
import { isJsonObject, jsonEqual, type JsonObject } from './json-value.ts';

/** Merges one list element of the patch into the matching element of the original. */
export type MergeElement = (original: JsonObject, patch: JsonObject) => JsonObject;

/** Removes `$patch`-style directives from a value that is copied into the result as-is. */
export type StripDirectives = (value: unknown) => unknown;

/**
 * Merges a patch list into an original list for a field with patch strategy `merge`:
 * scalars form a union, maps are matched by `mergeKey`. Element directives (`$patch`) apply.
 * The result keeps patch order for patched elements and server order for the rest.
 */
export function mergeList(
  original: unknown[],
  patch: unknown[],
  mergeKey: string | undefined,
  mergeElement: MergeElement,
  strip: StripDirectives,
): unknown[] {
  if (original.length === 0 && patch.length === 0) return original;
  const isMapList = elementsAreMaps(original, patch);
  if (!isMapList) {
    const merged = dedupe([...original, ...patch]);
    return orderLikePatch(merged, patch, original, undefined);
  }
  if (mergeKey === undefined) {
    throw new PatchError('InternalError', 'cannot merge lists without merge key');
  }
  const { base, items } = applyElementDirectives(original, patch.filter(isJsonObject), mergeKey);
  const merged = [...base];
  for (const item of items) {
    const keyValue = requireMergeKey(item, mergeKey);
    const at = merged.findIndex((candidate) => isJsonObject(candidate) && candidate[mergeKey] === keyValue);
    const existing = merged[at];
    if (isJsonObject(existing)) merged[at] = mergeElement(existing, item);
    else merged.push(strip(item));
  }
  return orderLikePatch(merged, items, original, mergeKey);
}

/** Removes from `original` every scalar listed in a `$deleteFromPrimitiveList/<field>` directive. */
export function deleteFromPrimitiveList(original: unknown[], toDelete: unknown[]): unknown[] {
  return original.filter((value) => !toDelete.some((gone) => gone === value));
}

/**
 * Reorders `merged` for `$setElementOrder/<field>`: elements named in `order` follow it, the
 * server-only rest keep their place relative to the original list.
 */
export function applyElementOrder(merged: unknown[], order: unknown[], original: unknown[], mergeKey: string | undefined): unknown[] {
  return orderLikePatch(merged, order, original, mergeKey);
}

function elementsAreMaps(original: unknown[], patch: unknown[]): boolean {
  const first = [...original, ...patch].find((value) => value !== null);
  if (Array.isArray(first)) throw invalidPatch('lists of lists are not supported');
  return isJsonObject(first);
}

function dedupe(values: unknown[]): unknown[] {
  const result: unknown[] = [];
  for (const value of values) if (!result.some((seen) => jsonEqual(seen, value))) result.push(value);
  return result;
}

function requireMergeKey(item: JsonObject, mergeKey: string): unknown {
  if (!(mergeKey in item)) {
    throw new PatchError('InternalError', `map: ${JSON.stringify(item)} does not contain declared merge key: ${mergeKey}`);
  }
  return item[mergeKey];
}

/** Handles `{"$patch":"delete"|"replace"}` elements; returns the base list and the plain patch items. */
function applyElementDirectives(original: unknown[], patch: JsonObject[], mergeKey: string): { base: unknown[]; items: JsonObject[] } {
  let base = original;
  let replace = false;
  const items: JsonObject[] = [];
  for (const item of patch) {
    const directive = item.$patch;
    if (directive === undefined) {
      items.push(item);
    } else if (directive === 'delete') {
      const keyValue = requireMergeKey(item, mergeKey);
      base = base.filter((candidate) => !(isJsonObject(candidate) && candidate[mergeKey] === keyValue));
    } else if (directive === 'replace') {
      replace = true;
    } else if (directive === 'merge') {
      throw new PatchError('InternalError', 'merging lists cannot yet be specified in the patch');
    } else {
      throw badRequest(`unknown patch type: ${String(directive)} in map: ${JSON.stringify(item)}`);
    }
  }
  // `$patch: replace` makes the (directive-free) patch elements the whole list.
  return replace ? { base: [], items } : { base, items };
}

function identityOf(value: unknown, mergeKey: string | undefined): unknown {
  return mergeKey === undefined ? value : isJsonObject(value) ? value[mergeKey] : undefined;
}

function indexIn(list: unknown[], value: unknown, mergeKey: string | undefined): number {
  const id = identityOf(value, mergeKey);
  return list.findIndex((candidate) => identityOf(candidate, mergeKey) === id);
}

/**
 * Splits `merged` into elements named by `order` and server-only ones, sorts each group by its own
 * reference order, then interleaves them using the original list's order where both are known.
 */
function orderLikePatch(merged: unknown[], order: unknown[], original: unknown[], mergeKey: string | undefined): unknown[] {
  const named = merged.filter((value) => indexIn(order, value, mergeKey) >= 0);
  const serverOnly = merged.filter((value) => indexIn(order, value, mergeKey) < 0);
  const sortBy = (list: unknown[], reference: unknown[]): unknown[] =>
    list
      .map((value, position) => ({ value, position, rank: indexIn(reference, value, mergeKey) }))
      .sort((a, b) => (a.rank >= 0 && b.rank >= 0 ? a.rank - b.rank : a.position - b.position))
      .map((entry) => entry.value);
  return interleave(sortBy(serverOnly, original), sortBy(named, order), original, mergeKey);
}

function interleave(serverOnly: unknown[], named: unknown[], original: unknown[], mergeKey: string | undefined): unknown[] {
  const result: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < serverOnly.length || j < named.length) {
    if (j >= named.length) {
      result.push(serverOnly[i++]);
    } else if (i >= serverOnly.length) {
      result.push(named[j++]);
    } else {
      const left = indexIn(original, serverOnly[i], mergeKey);
      const right = indexIn(original, named[j], mergeKey);
      if (left >= 0 && right >= 0 && left < right) result.push(serverOnly[i++]);
      else result.push(named[j++]);
    }
  }
  return result;
}

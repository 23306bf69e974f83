import { cloneJson, isJsonObject, type JsonObject } from './json-value.ts';

/**
 * Applies an RFC 7386 JSON merge patch: objects merge recursively, `null` deletes a key and
 * every other value (lists included) replaces what was there. Inputs are not mutated.
 */
export function applyMergePatch(doc: unknown, patch: unknown): unknown {
  if (!isJsonObject(patch)) return cloneJson(patch);
  const target = isJsonObject(doc) ? cloneJson(doc) : {};
  mergeInto(target, patch);
  return target;
}

function mergeInto(target: JsonObject, patch: JsonObject): void {
  for (const [key, value] of Object.entries(patch)) {
    const current = target[key];
    if (value === null) {
      delete target[key];
    } else if (isJsonObject(value)) {
      const child = isJsonObject(current) ? current : {};
      mergeInto(child, value);
      target[key] = child;
    } else {
      target[key] = cloneJson(value);
    }
  }
}

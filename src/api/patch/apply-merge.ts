import type { JsonSchema, SchemaSet } from '../schema/types.ts';
import { listItemElement } from './field-values.ts';
import { cloneJson, isJsonObject, type JsonObject } from './json-value.ts';
import { fieldSchema, isAtomicMap, itemSchema, listKind, resolveSchema } from './schema-view.ts';

/**
 * Merges an applied configuration into the live object the way structured-merge-diff does:
 * granular maps merge per key, list-maps merge items by key, sets take the union, atomic
 * values (and lists without metadata) are replaced. `null` in the config removes the field.
 */
export function mergeApplied(live: unknown, config: unknown, schema: JsonSchema | undefined, schemas: SchemaSet): unknown {
  return mergeValue(live, config, resolveSchema(schema, schemas), schemas);
}

function mergeValue(live: unknown, config: unknown, schema: JsonSchema | undefined, schemas: SchemaSet): unknown {
  if (isJsonObject(live) && isJsonObject(config) && !isAtomicMap(schema)) return mergeObject(live, config, schema, schemas);
  if (Array.isArray(live) && Array.isArray(config) && listKind(schema).kind !== 'atomic') return mergeList(live, config, schema, schemas);
  return cloneJson(config);
}

function mergeObject(live: JsonObject, config: JsonObject, schema: JsonSchema | undefined, schemas: SchemaSet): JsonObject {
  const result = cloneJson(live);
  for (const [key, value] of Object.entries(config)) {
    if (value === null) delete result[key];
    else result[key] = mergeValue(live[key], value, fieldSchema(schema, key, schemas), schemas);
  }
  return result;
}

/**
 * Live-only items keep their place; items named by the config come in config order, merged with
 * their live counterpart, starting where the first shared item stood.
 */
function mergeList(live: unknown[], config: unknown[], schema: JsonSchema | undefined, schemas: SchemaSet): unknown[] {
  const elementSchema = itemSchema(schema, schemas);
  const liveKeys = live.map((item, i) => listItemElement(item, i, schema, schemas));
  const configKeys = config.map((item, i) => listItemElement(item, i, schema, schemas));
  const result: unknown[] = [];
  const emitted = new Set<string>();
  let i = 0;
  let j = 0;
  while (i < live.length || j < config.length) {
    const liveKey = liveKeys[i];
    if (liveKey !== undefined && (!configKeys.includes(liveKey) || emitted.has(liveKey))) {
      if (!emitted.has(liveKey)) result.push(cloneJson(live[i]));
      emitted.add(liveKey);
      i++;
      continue;
    }
    const configKey = configKeys[j];
    if (configKey === undefined) {
      i++;
      continue;
    }
    const match = liveKeys.indexOf(configKey);
    result.push(match < 0 ? cloneJson(config[j]) : mergeValue(live[match], config[j], elementSchema, schemas));
    emitted.add(configKey);
    j++;
  }
  return result;
}

import type { JsonSchema, SchemaSet } from '../schema/types.ts';

/**
 * Resolves `$ref`s while keeping the vendor extensions written next to the reference
 * (OpenAPI puts `x-kubernetes-patch-strategy` on the property, the shape on the definition).
 */
export function resolveSchema(schema: JsonSchema | undefined, schemas: SchemaSet): JsonSchema | undefined {
  if (schema === undefined) return undefined;
  const target = schemas.resolve(schema);
  if (target === schema) return schema;
  const extensions = Object.entries(schema).filter(([key]) => key.startsWith('x-'));
  return extensions.length === 0 ? target : { ...target, ...Object.fromEntries(extensions) };
}

/** Schema of one key of an object: a declared property, else the `additionalProperties` schema. */
export function fieldSchema(schema: JsonSchema | undefined, key: string, schemas: SchemaSet): JsonSchema | undefined {
  const declared = schema?.properties?.[key];
  if (declared !== undefined) return resolveSchema(declared, schemas);
  const extra = schema?.additionalProperties;
  return typeof extra === 'object' ? resolveSchema(extra, schemas) : undefined;
}

/** True when `key` is a declared property (a struct field), not an entry of a free-form map. */
export function isDeclaredField(schema: JsonSchema | undefined, key: string): boolean {
  return schema?.properties?.[key] !== undefined;
}

/** Schema of a list's items. */
export function itemSchema(schema: JsonSchema | undefined, schemas: SchemaSet): JsonSchema | undefined {
  return resolveSchema(schema?.items, schemas);
}

/** The comma-separated `x-kubernetes-patch-strategy` split into its parts (`merge`, `retainKeys`, `replace`). */
export function patchStrategies(schema: JsonSchema | undefined): string[] {
  const strategy = schema?.['x-kubernetes-patch-strategy'];
  return typeof strategy === 'string' && strategy !== '' ? strategy.split(',').map((s) => s.trim()) : [];
}

/** How server-side apply treats a list: one value, a set of scalars, or a map keyed by fields. */
export type ListKind = { kind: 'atomic' } | { kind: 'set' } | { kind: 'map'; keys: string[] };

/**
 * List semantics for apply. `x-kubernetes-list-type` wins; otherwise (as kube-openapi's
 * schema conversion does) a `merge` patch strategy means a map by merge key, or a set.
 * Lists without metadata, or without a schema, are atomic.
 */
export function listKind(schema: JsonSchema | undefined): ListKind {
  const mergeKey = schema?.['x-kubernetes-patch-merge-key'];
  switch (schema?.['x-kubernetes-list-type']) {
    case 'atomic':
      return { kind: 'atomic' };
    case 'set':
      return { kind: 'set' };
    case 'map': {
      const keys = schema['x-kubernetes-list-map-keys'] ?? (mergeKey === undefined ? [] : [mergeKey]);
      return keys.length > 0 ? { kind: 'map', keys } : { kind: 'atomic' };
    }
  }
  if (!patchStrategies(schema).includes('merge')) return { kind: 'atomic' };
  return mergeKey === undefined ? { kind: 'set' } : { kind: 'map', keys: [mergeKey] };
}

/** True when apply must treat this object as one value (`x-kubernetes-map-type: atomic`). */
export function isAtomicMap(schema: JsonSchema | undefined): boolean {
  return schema?.['x-kubernetes-map-type'] === 'atomic';
}

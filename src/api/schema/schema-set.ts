import { refName } from './generator/definition-names.ts';
import type { JsonSchema, SchemaSet } from './types.ts';

/** A SchemaSet that can be extended (CRDs register their schemas after start-up). */
export interface ExtensibleSchemaSet extends SchemaSet {
  /** A new set holding these definitions plus `extra` (same names replace); this set is unchanged. */
  withDefinitions(extra: Record<string, JsonSchema>): ExtensibleSchemaSet;
  /** Every definition name, sorted. */
  names(): string[];
}

function gvkKey(gvk: { group: string; version: string; kind: string }): string {
  return `${gvk.group}/${gvk.version}/${gvk.kind}`;
}

function indexKinds(definitions: Record<string, JsonSchema>): Map<string, string> {
  const byKind = new Map<string, string>();
  for (const [name, def] of Object.entries(definitions)) {
    const gvks = def['x-kubernetes-group-version-kind'] ?? [];
    // Universal kinds (DeleteOptions, WatchEvent) list many GVKs; the first definition to claim a
    // GVK wins, and only a single-GVK definition is a kind's own schema.
    const only = gvks.length === 1 ? gvks[0] : undefined;
    if (only === undefined) continue;
    const key = gvkKey(only);
    if (!byKind.has(key)) byKind.set(key, name);
  }
  return byKind;
}

/**
 * Builds a read-only SchemaSet over `definitions` (upstream definition names → schema). The set
 * keeps its own copy, so later changes to the argument do not leak in.
 */
export function createSchemaSet(definitions: Record<string, JsonSchema>): ExtensibleSchemaSet {
  const defs: Record<string, JsonSchema> = { ...definitions };
  const byKind = indexKinds(defs);
  const set: ExtensibleSchemaSet = {
    definition: (name) => (Object.hasOwn(defs, name) ? defs[name] : undefined),
    resolve(schema) {
      let current = schema;
      // Bounded: a reference cycle of plain aliases would otherwise never end.
      for (let hops = 0; hops < 32; hops++) {
        const only = current.allOf?.length === 1 ? current.allOf[0] : undefined;
        const ref = current.$ref ?? only?.$ref;
        const target = ref === undefined ? undefined : refName(ref);
        const next = target === undefined ? undefined : set.definition(target);
        if (next === undefined) return current;
        current = next;
      }
      return current;
    },
    nameForKind: (gvk) => byKind.get(gvkKey(gvk)),
    withDefinitions: (extra) => createSchemaSet({ ...defs, ...extra }),
    names: () => Object.keys(defs).sort(),
  };
  return set;
}

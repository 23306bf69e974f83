import type { ResourceDefinition } from '../../api/resource-definition.ts';
import type { JsonSchema } from '../../api/schema/types.ts';
import type { GroupVersionKind } from '../../api/types.ts';
import { resourcePaths, type PathItemV3 } from './v3-paths.ts';

const REF_PREFIX = '#/components/schemas/';

/** Definitions by name and by kind: what a document build looks schemas up in. */
export interface DefinitionLookup {
  definition(name: string): JsonSchema | undefined;
  schemaNameFor(gvk: GroupVersionKind): string | undefined;
}

function childSchemas(s: JsonSchema): JsonSchema[] {
  const children = [...Object.values(s.properties ?? {}), ...(s.allOf ?? []), ...(s.oneOf ?? []), ...(s.anyOf ?? [])];
  if (s.items !== undefined) children.push(s.items);
  if (typeof s.additionalProperties === 'object') children.push(s.additionalProperties);
  return children;
}

function collectRefs(value: unknown, into: Set<string>): void {
  if (Array.isArray(value)) {
    for (const v of value) collectRefs(v, into);
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith(REF_PREFIX)) into.add(v.slice(REF_PREFIX.length));
      else collectRefs(v, into);
    }
  }
}

/** Names referenced from `roots` plus everything those definitions reference, transitively. */
export function reachableDefinitions(roots: Set<string>, lookup: DefinitionLookup): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {};
  const pending = [...roots];
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    const def = lookup.definition(name);
    if (def === undefined || Object.hasOwn(out, name)) continue;
    out[name] = def;
    const refs = new Set<string>();
    for (const child of childSchemas(def)) collectRefs(child, refs);
    pending.push(...refs);
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** `api/v1` or `apis/<group>/<version>`: the key the `/openapi/v3` index uses for a group-version. */
export function groupVersionPath(gv: { group: string; version: string }): string {
  return gv.group === '' ? `api/${gv.version}` : `apis/${gv.group}/${gv.version}`;
}

/** The OpenAPI 3.0 document of one group-version: its resources' paths and the schemas they reach. */
export function buildGroupVersionDocument(resources: ResourceDefinition[], lookup: DefinitionLookup): object {
  const paths: Record<string, PathItemV3> = {};
  for (const r of resources) Object.assign(paths, resourcePaths(r, lookup));
  const roots = new Set<string>();
  collectRefs(paths, roots);
  return {
    openapi: '3.0.0',
    info: { title: 'Minato', version: 'unversioned' },
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    components: {
      schemas: reachableDefinitions(roots, lookup),
      securitySchemes: { BearerToken: { type: 'apiKey', description: 'Bearer Token authentication', name: 'authorization', in: 'header' } },
    },
    security: [{ BearerToken: [] }],
  };
}

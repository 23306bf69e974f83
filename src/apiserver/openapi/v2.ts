import { BUILTIN_RESOURCES } from '../../api/builtin-resources.ts';
import type { ResourceDefinition } from '../../api/resource-definition.ts';
import type { SchemaSet } from '../../api/schema/types.ts';
import { reachableDefinitions, toSwaggerV2Schema, withGroupVersionKinds, type GroupVersionKind } from './v2-definitions.ts';
import { resourcePaths, type PathContext } from './v2-paths.ts';
import type { SwaggerV2Document, SwaggerV2PathItem, SwaggerV2Schema } from './v2-types.ts';

export type { SwaggerV2Document } from './v2-types.ts';

/** Definitions every document carries when the schema set has them (delete bodies, Status replies). */
const SHARED_DEFINITIONS = ['io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions', 'io.k8s.apimachinery.pkg.apis.meta.v1.Status'];

function isBuiltin(r: ResourceDefinition): boolean {
  return BUILTIN_RESOURCES.some((b) => b.group === r.group && b.version === r.version && b.kind === r.kind);
}

/** Definition names each served kind must be findable under, with the kinds to list on them. */
function servedKinds(resources: readonly ResourceDefinition[], schemas: SchemaSet): Map<string, GroupVersionKind[]> {
  const byName = new Map<string, GroupVersionKind[]>();
  const add = (name: string | undefined, gvk: GroupVersionKind): void => {
    if (name === undefined || schemas.definition(name) === undefined) return;
    byName.set(name, [...(byName.get(name) ?? []), { group: gvk.group, version: gvk.version, kind: gvk.kind }]);
  };
  for (const r of resources) {
    add(r.schemaName ?? schemas.nameForKind(r), r);
    for (const sub of r.subresources ?? []) if (sub.kind !== undefined) add(schemas.nameForKind(sub.kind), sub.kind);
  }
  return byName;
}

function buildDefinitions(resources: readonly ResourceDefinition[], schemas: SchemaSet): Record<string, SwaggerV2Schema> {
  const kinds = servedKinds(resources, schemas);
  const listNames = resources.flatMap((r) => (r.schemaName === undefined ? [] : [r.schemaName.replace(/[^.]+$/, r.listKind)]));
  const names = reachableDefinitions([...kinds.keys(), ...listNames, ...SHARED_DEFINITIONS], schemas);
  const published = new Set(names);
  const definitions: Record<string, SwaggerV2Schema> = {};
  for (const name of [...names].sort()) {
    const def = schemas.definition(name);
    if (def === undefined) continue;
    definitions[name] = withGroupVersionKinds(toSwaggerV2Schema(def, (n) => published.has(n)), kinds.get(name) ?? []);
  }
  return definitions;
}

/**
 * Builds the Swagger 2.0 document served at `/openapi/v2`: one set of paths per served resource
 * (operations tagged with `x-kubernetes-action` and `x-kubernetes-group-version-kind`, write
 * operations listing `dryRun`/`fieldValidation`, built-in PATCH accepting strategic merge patch)
 * and the definitions those resources reach, converted from the schema set's OpenAPI 3 form.
 * kubectl 1.27/1.28 read it (as protobuf, see `gnostic/`) for `explain`, client-side
 * validation and to decide which patch type `apply` sends.
 */
export function buildSwaggerV2(resources: readonly ResourceDefinition[], schemas: SchemaSet): SwaggerV2Document {
  const definitions = buildDefinitions(resources, schemas);
  const ctx: PathContext = {
    builtin: false,
    refTo: (name) => (name !== undefined && name in definitions ? { $ref: `#/definitions/${name}` } : undefined),
    schemaNameFor: (gvk) => schemas.nameForKind(gvk),
  };
  const paths: Record<string, SwaggerV2PathItem> = {};
  for (const r of resources) {
    Object.assign(paths, resourcePaths(r, { ...ctx, builtin: isBuiltin(r) }));
  }
  return { swagger: '2.0', info: { title: 'Minato', version: 'v1' }, paths, definitions };
}

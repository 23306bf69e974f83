import type { JsonSchema, SchemaSet } from '../../api/schema/types.ts';
import type { SwaggerV2Schema } from './v2-types.ts';

const V3_REF_PREFIX = '#/components/schemas/';
const V2_REF_PREFIX = '#/definitions/';

/** Group/version/kind as the `x-kubernetes-group-version-kind` extension spells it. */
export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** The definition name a `$ref` points at, whichever prefix it uses. */
function refName(ref: string): string {
  if (ref.startsWith(V3_REF_PREFIX)) return ref.slice(V3_REF_PREFIX.length);
  if (ref.startsWith(V2_REF_PREFIX)) return ref.slice(V2_REF_PREFIX.length);
  return ref;
}

/** The `$ref` of a schema, also when wrapped as `allOf: [{$ref}]` (the OpenAPI 3 idiom for ref + description). */
function singleRef(s: JsonSchema): string | undefined {
  if (s.$ref !== undefined) return s.$ref;
  const only = s.allOf?.length === 1 ? s.allOf[0] : undefined;
  return only?.$ref;
}

function childSchemas(s: JsonSchema): JsonSchema[] {
  const children = [...Object.values(s.properties ?? {}), ...(s.allOf ?? []), ...(s.oneOf ?? []), ...(s.anyOf ?? [])];
  if (s.items !== undefined) children.push(s.items);
  if (typeof s.additionalProperties === 'object') children.push(s.additionalProperties);
  return children;
}

function referencedNames(s: JsonSchema, into: string[]): void {
  if (s.$ref !== undefined) into.push(refName(s.$ref));
  for (const child of childSchemas(s)) referencedNames(child, into);
}

/** Names of the given definitions plus everything they reference, transitively, that the set knows. */
export function reachableDefinitions(roots: readonly string[], schemas: SchemaSet): string[] {
  const seen = new Set<string>();
  const queue = [...roots];
  for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
    if (seen.has(name)) continue;
    const def = schemas.definition(name);
    if (def === undefined) continue;
    seen.add(name);
    referencedNames(def, queue);
  }
  return [...seen];
}

function vendorExtensions(s: JsonSchema): SwaggerV2Schema {
  const out: SwaggerV2Schema = {};
  for (const [key, value] of Object.entries(s)) {
    if (key.startsWith('x-') && value !== undefined) out[key as `x-${string}`] = value;
  }
  return out;
}

const COPIED_KEYWORDS = [
  'type', 'format', 'description', 'default', 'enum', 'required',
  'minimum', 'maximum', 'minLength', 'maxLength', 'minItems', 'maxItems', 'pattern',
] as const;

/**
 * Converts one OpenAPI-3-flavoured schema to Swagger 2.0 as kubectl's v2 parser (kube-openapi
 * `pkg/util/proto`) accepts it: a `$ref` carries no `type` or `properties` and must name a
 * published definition (a dangling one would make kubectl reject the whole document, so it
 * degrades to an untyped schema); arrays always have `items`; `oneOf`/`anyOf`/`nullable` have no
 * v2 form and are dropped; empty `properties` are dropped so the object reads as a free-form map.
 */
export function toSwaggerV2Schema(s: JsonSchema, isPublished: (name: string) => boolean): SwaggerV2Schema {
  const ref = singleRef(s);
  if (ref !== undefined) {
    const name = refName(ref);
    const described = s.description === undefined ? {} : { description: s.description };
    return isPublished(name) ? { $ref: V2_REF_PREFIX + name, ...described, ...vendorExtensions(s) } : { ...described, ...vendorExtensions(s) };
  }
  const out: SwaggerV2Schema = {};
  for (const key of COPIED_KEYWORDS) {
    if (s[key] !== undefined) Object.assign(out, { [key]: s[key] });
  }
  const properties = Object.entries(s.properties ?? {});
  if (properties.length > 0) {
    out.properties = Object.fromEntries(properties.map(([k, v]) => [k, toSwaggerV2Schema(v, isPublished)]));
  }
  if (s.items !== undefined) out.items = toSwaggerV2Schema(s.items, isPublished);
  else if (s.type === 'array') out.items = {};
  if (typeof s.additionalProperties === 'boolean') out.additionalProperties = s.additionalProperties;
  else if (s.additionalProperties !== undefined) out.additionalProperties = toSwaggerV2Schema(s.additionalProperties, isPublished);
  if (s.allOf !== undefined && s.allOf.length > 0) out.allOf = s.allOf.map((x) => toSwaggerV2Schema(x, isPublished));
  return { ...out, ...vendorExtensions(s) };
}

function sameGvk(a: GroupVersionKind, b: GroupVersionKind): boolean {
  return a.group === b.group && a.version === b.version && a.kind === b.kind;
}

/**
 * Adds served kinds to their definition's `x-kubernetes-group-version-kind` list: kubectl maps
 * a kind to its schema only through that extension, so a definition without it is invisible
 * to `explain` and to client-side validation.
 */
export function withGroupVersionKinds(schema: SwaggerV2Schema, gvks: readonly GroupVersionKind[]): SwaggerV2Schema {
  const existing = schema['x-kubernetes-group-version-kind'];
  const listed = Array.isArray(existing) ? (existing as GroupVersionKind[]) : [];
  const missing = gvks.filter((g) => !listed.some((l) => sameGvk(l, g)));
  if (missing.length === 0) return schema;
  const added = missing.map((g) => ({ group: g.group, kind: g.kind, version: g.version }));
  return { ...schema, 'x-kubernetes-group-version-kind': [...listed, ...added] };
}

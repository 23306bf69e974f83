import { createHash } from 'node:crypto';
import type { ResourceDefinition } from '../../api/resource-definition.ts';
import type { JsonSchema, SchemaSet } from '../../api/schema/types.ts';
import type { GroupVersionKind } from '../../api/types.ts';
import { buildGroupVersionDocument, groupVersionPath, type DefinitionLookup } from './v3-document.ts';

/** The `/openapi/v3` endpoints' content: the index and one document per group-version. */
export interface OpenApiV3 {
  /** `{paths: {"api/v1": {serverRelativeURL: "/openapi/v3/api/v1?hash=<ETag>"}, …}}`. */
  index(): object;
  /** The serialized document of `api/v1` or `apis/<group>/<version>`, with its ETag (uppercase hex SHA-512). */
  document(gvPath: string): { body: string; etag: string } | undefined;
}

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

/** A `<Kind>List` schema for a kind that has none (custom resources), shaped like upstream's lists. */
function listSchema(itemSchema: string, gvk: GroupVersionKind): JsonSchema {
  return {
    description: `${gvk.kind} is a list of ${itemSchema.slice(itemSchema.lastIndexOf('.') + 1)}`,
    type: 'object',
    properties: {
      apiVersion: { type: 'string', description: 'APIVersion defines the versioned schema of this representation of an object.' },
      items: { type: 'array', description: 'List of objects.', items: { $ref: `#/components/schemas/${itemSchema}` } },
      kind: { type: 'string', description: 'Kind is a string value representing the REST resource this object represents.' },
      metadata: { $ref: `#/components/schemas/${META}.ListMeta`, description: 'Standard list metadata.' },
    },
    required: ['items'],
    'x-kubernetes-group-version-kind': [gvk],
  };
}

/** SchemaSet lookups plus list schemas synthesized for resources whose list kind has no definition. */
function definitionLookup(resources: ResourceDefinition[], schemas: SchemaSet): DefinitionLookup {
  const extra = new Map<string, JsonSchema>();
  const extraByKind = new Map<string, string>();
  for (const r of resources) {
    const listGvk = { group: r.group, version: r.version, kind: r.listKind };
    if (r.schemaName === undefined || schemas.nameForKind(listGvk) !== undefined) continue;
    const name = `${r.schemaName.slice(0, r.schemaName.lastIndexOf('.'))}.${r.listKind}`;
    extra.set(name, listSchema(r.schemaName, listGvk));
    extraByKind.set(`${r.group}/${r.version}/${r.listKind}`, name);
  }
  return {
    definition: (name) => extra.get(name) ?? schemas.definition(name),
    schemaNameFor: (gvk) => schemas.nameForKind(gvk) ?? extraByKind.get(`${gvk.group}/${gvk.version}/${gvk.kind}`),
  };
}

function byGroupVersion(resources: ResourceDefinition[]): Map<string, ResourceDefinition[]> {
  const groups = new Map<string, ResourceDefinition[]>();
  for (const r of resources) {
    const key = groupVersionPath(r);
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return groups;
}

/**
 * Serves OpenAPI v3 for `resources` from `schemas`. Documents are built and hashed lazily, once
 * each; build a new OpenApiV3 when the resource set or schemas change (CRDs), which also changes
 * the `hash` in the index so kubectl's HTTP cache refetches.
 */
export function createOpenApiV3(resources: ResourceDefinition[], schemas: SchemaSet): OpenApiV3 {
  const lookup = definitionLookup(resources, schemas);
  const groups = byGroupVersion(resources);
  const built = new Map<string, { body: string; etag: string }>();
  const document = (gvPath: string): { body: string; etag: string } | undefined => {
    const cached = built.get(gvPath);
    if (cached !== undefined) return cached;
    const members = groups.get(gvPath);
    if (members === undefined) return undefined;
    const body = JSON.stringify(buildGroupVersionDocument(members, lookup));
    const doc = { body, etag: createHash('sha512').update(body).digest('hex').toUpperCase() };
    built.set(gvPath, doc);
    return doc;
  };
  return {
    document,
    index() {
      const paths: Record<string, { serverRelativeURL: string }> = {};
      for (const gvPath of [...groups.keys()].sort()) {
        const doc = document(gvPath);
        if (doc !== undefined) paths[gvPath] = { serverRelativeURL: `/openapi/v3/${gvPath}?hash=${doc.etag}` };
      }
      return { paths };
    },
  };
}

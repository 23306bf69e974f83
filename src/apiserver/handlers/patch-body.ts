import { PatchError } from '../../api/patch/errors.ts';
import { applyJsonPatch } from '../../api/patch/json-patch.ts';
import { applyMergePatch } from '../../api/patch/merge-patch.ts';
import { applyStrategicMergePatch } from '../../api/patch/strategic-merge-patch.ts';
import type { ResourceDefinition } from '../../api/resource-definition.ts';
import type { SchemaSet } from '../../api/schema/types.ts';
import type { KubeObject } from '../../api/types.ts';
import { mediaType, parseJson, parseYaml } from '../http/body.ts';
import { badRequest, StatusError, unsupportedMediaType } from '../status-error.ts';

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

export const PATCH_MEDIA_TYPES: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
  'application/apply-patch+cbor': 'apply',
};

export function patchTypeOf(contentType: string | undefined, r: ResourceDefinition): PatchType {
  const type = PATCH_MEDIA_TYPES[mediaType(contentType)];
  if (!type) throw unsupportedMediaType(mediaType(contentType), Object.keys(PATCH_MEDIA_TYPES).filter((t) => !t.endsWith('cbor')));
  if (type === 'strategic' && !isBuiltin(r)) {
    throw new StatusError(415, 'UnsupportedMediaType', 'strategic merge patch format is not supported');
  }
  return type;
}

function isBuiltin(r: ResourceDefinition): boolean {
  return !!r.schemaName && r.schemaName.startsWith('io.k8s.');
}

/** Parses a patch document of the given type (apply bodies may be YAML). */
export function parsePatch(type: PatchType, body: Buffer): unknown {
  if (type === 'apply') return parseYaml(body);
  const doc = parseJson(body);
  if (type === 'json' && !Array.isArray(doc)) throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  if (type !== 'json' && (doc === null || typeof doc !== 'object' || Array.isArray(doc))) {
    throw badRequest('the body of the request was not a JSON object');
  }
  return doc;
}

/** Applies a JSON, merge or strategic patch to a copy of `current`. */
export function applyPatch(type: Exclude<PatchType, 'apply'>, current: KubeObject, patch: unknown, r: ResourceDefinition, schemas: SchemaSet): KubeObject {
  try {
    if (type === 'json') return applyJsonPatch(current, patch) as KubeObject;
    if (type === 'merge') return applyMergePatch(current, patch) as KubeObject;
    const schema = r.schemaName ? schemas.definition(r.schemaName) : undefined;
    if (!schema) return applyMergePatch(current, patch) as KubeObject;
    return applyStrategicMergePatch(current, patch, schema, schemas) as KubeObject;
  } catch (err) {
    if (err instanceof PatchError) throw new StatusError(err.code, err.reason, err.message, err.reason === 'Invalid' ? { causes: [{ message: err.detail }] } : undefined);
    throw err;
  }
}

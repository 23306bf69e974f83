import type { ResourceDefinition } from '../api/resource-definition.ts';
import { defaulterFor } from '../api/defaults/index.ts';
import { typeErrors, unknownFields } from '../api/schema/field-validation.ts';
import type { FieldError, KubeObject } from '../api/types.ts';
import { validatorFor } from '../api/validation/index.ts';
import type { ApiContext } from './api-context.ts';
import type { WriteOptions } from './handlers/write-options.ts';
import { badRequest, invalid } from './status-error.ts';

/**
 * Schema-level checks of an incoming body: wrong types are a 400 (upstream fails decoding), unknown
 * fields are a 400 with fieldValidation=Strict, a warning with Warn, and dropped with Ignore.
 */
export function checkBodyAgainstSchema(ctx: ApiContext, r: ResourceDefinition, obj: KubeObject, opts: WriteOptions): void {
  const custom = ctx.customSchema(r);
  if (custom) {
    const pruned = custom.prune(obj);
    reportUnknown(pruned, opts);
    return;
  }
  if (!r.schemaName) return;
  const schemas = ctx.schemas();
  const wrong = typeErrors(obj, r.schemaName, schemas);
  if (wrong.length > 0) {
    const first = wrong[0] as { path: string; expected: string; got: string };
    throw badRequest(`${r.kind} in version "${r.version}" cannot be handled as a ${r.kind}: json: cannot unmarshal ${first.got} into Go struct field ${first.path} of type ${first.expected}`);
  }
  const unknown = unknownFields(obj, r.schemaName, schemas);
  reportUnknown(unknown, opts);
  if (unknown.length > 0 && opts.fieldValidation !== 'Strict') removePaths(obj, unknown);
}

function reportUnknown(paths: string[], opts: WriteOptions): void {
  if (paths.length === 0 || opts.fieldValidation === 'Ignore') return;
  if (opts.fieldValidation === 'Strict') {
    const list = paths.map((p) => `unknown field "${p.replace(/^\./, '')}"`);
    throw badRequest(`strict decoding error: ${list.join(', ')}`);
  }
  for (const p of paths) opts.warnings.push(`unknown field "${p.replace(/^\./, '')}"`);
}

/** Deletes `.a.b[0].c` style paths from an object (unknown fields under Warn/Ignore). */
function removePaths(obj: KubeObject, paths: string[]): void {
  for (const path of paths) {
    const steps = [...path.matchAll(/\.([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[1] !== undefined ? m[1] : Number(m[2])));
    let node: unknown = obj;
    for (const step of steps.slice(0, -1)) node = node && typeof node === 'object' ? (node as Record<string | number, unknown>)[step as string] : undefined;
    const last = steps[steps.length - 1];
    if (node && typeof node === 'object' && last !== undefined) delete (node as Record<string | number, unknown>)[last as string];
  }
}

export function applyDefaults(r: ResourceDefinition, obj: KubeObject): void {
  defaulterFor(r.group, r.kind)?.(obj);
}

/** Semantic validation; throws 422 Invalid with one cause per field error. */
export function validateObject(ctx: ApiContext, r: ResourceDefinition, obj: KubeObject, old?: KubeObject): void {
  const errors: FieldError[] = [];
  const custom = ctx.customSchema(r);
  if (custom) errors.push(...custom.validate(obj));
  const validator = validatorFor(r.group, r.kind, { namespaced: r.namespaced });
  if (validator) errors.push(...validator(obj, old));
  if (errors.length > 0) throw invalid(r.group, r.kind, obj.metadata?.name ?? '', errors);
}

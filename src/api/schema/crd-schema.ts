import { isIP } from 'node:net';
import { Ajv, type ErrorObject } from 'ajv';
import type { FieldError } from '../types.ts';
import { pruneUnknownFields } from './crd-prune.ts';
import type { JsonSchema } from './types.ts';

/** A CRD version's `openAPIV3Schema`, ready to validate and prune objects. */
export interface CompiledStructuralSchema {
  /** Field errors in upstream's wording; [] when the object is valid. */
  validate(obj: unknown): FieldError[];
  /** Removes unspecified fields in place; returns their paths (`spec.bogus`). */
  prune(obj: unknown): string[];
}

/** Formats Kubernetes validates for CRDs that we check too; other formats are ignored, as upstream does. */
const FORMATS: Record<string, (value: string) => boolean> = {
  'date-time': (v) => /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(v) && !Number.isNaN(Date.parse(v)),
  datetime: (v) => FORMATS['date-time']?.(v) ?? false,
  date: (v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v)),
  uuid: (v) => /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(v),
  ipv4: (v) => isIP(v) === 4,
  ipv6: (v) => isIP(v) === 6,
  byte: (v) => /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(v),
};

/** Rewrites OpenAPI 3.0 / Kubernetes idioms into what Ajv (draft-07) understands. */
function toAjvSchema(schema: JsonSchema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties' && typeof value === 'object' && value !== null) {
      out[key] = Object.fromEntries(Object.entries(value as Record<string, JsonSchema>).map(([k, v]) => [k, toAjvSchema(v)]));
    } else if ((key === 'items' || key === 'additionalProperties' || key === 'not') && typeof value === 'object' && value !== null) {
      out[key] = toAjvSchema(value as JsonSchema);
    } else if ((key === 'allOf' || key === 'anyOf' || key === 'oneOf') && Array.isArray(value)) {
      out[key] = (value as JsonSchema[]).map(toAjvSchema);
    } else if (key === 'format') {
      if (typeof value === 'string' && value in FORMATS) out[key] = value;
    } else if (key !== 'default' && key !== 'example' && key !== 'exclusiveMinimum' && key !== 'exclusiveMaximum') {
      out[key] = value;
    }
  }
  // OpenAPI 3.0 spells exclusive bounds as booleans beside minimum/maximum; draft-07 as numbers.
  const raw = schema as Record<string, unknown>;
  if (raw.exclusiveMinimum === true && schema.minimum !== undefined) {
    out.exclusiveMinimum = schema.minimum;
    delete out.minimum;
  }
  if (raw.exclusiveMaximum === true && schema.maximum !== undefined) {
    out.exclusiveMaximum = schema.maximum;
    delete out.maximum;
  }
  if (schema['x-kubernetes-int-or-string'] === true) delete out.type;
  // Ajv's `nullable` needs a `type` beside it.
  if (out.type === undefined) delete out.nullable;
  return out;
}

function createAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false, logger: false });
  for (const [name, check] of Object.entries(FORMATS)) ajv.addFormat(name, check);
  ajv.addKeyword({
    keyword: 'x-kubernetes-int-or-string',
    schemaType: 'boolean',
    validate: (flag: boolean, data: unknown) => !flag || typeof data === 'string' || (typeof data === 'number' && Number.isInteger(data)),
  });
  return ajv;
}

/** `/spec/items/0/name` → `spec.items[0].name`, using the data to tell list indexes from keys. */
function fieldPath(instancePath: string, obj: unknown): string {
  let path = '';
  let cursor: unknown = obj;
  for (const raw of instancePath.split('/').slice(1)) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    path += Array.isArray(cursor) ? `[${segment}]` : path === '' ? segment : `.${segment}`;
    cursor = typeof cursor === 'object' && cursor !== null ? (cursor as Record<string, unknown>)[segment] : undefined;
  }
  return path;
}

function valueAt(instancePath: string, obj: unknown): unknown {
  let cursor: unknown = obj;
  for (const raw of instancePath.split('/').slice(1)) {
    cursor = typeof cursor === 'object' && cursor !== null ? (cursor as Record<string, unknown>)[raw.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
  }
  return cursor;
}

/** Go-flavoured type names upstream prints: `integer` for whole numbers, `number` otherwise. */
function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function toFieldError(e: ErrorObject, obj: unknown): FieldError {
  const field = fieldPath(e.instancePath, obj);
  const value = valueAt(e.instancePath, obj);
  const p = e.params as Record<string, unknown>;
  const inBody = `${field} in body`;
  switch (e.keyword) {
    case 'required':
      return { field: [field, String(p.missingProperty)].filter((s) => s !== '').join('.'), type: 'FieldValueRequired', detail: '' };
    case 'type':
      return { field, type: 'FieldValueInvalid', value: typeName(value), detail: `${inBody} must be of type ${String(p.type)}: "${typeName(value)}"` };
    case 'x-kubernetes-int-or-string':
      return { field, type: 'FieldValueInvalid', value: typeName(value), detail: `${inBody} must be of type integer or string: "${typeName(value)}"` };
    case 'enum':
      return { field, type: 'FieldValueNotSupported', value, detail: `supported values: ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
    case 'minimum':
    case 'exclusiveMinimum':
      return { field, type: 'FieldValueInvalid', value, detail: `${inBody} should be greater than ${e.keyword === 'minimum' ? 'or equal to ' : ''}${String(p.limit)}` };
    case 'maximum':
    case 'exclusiveMaximum':
      return { field, type: 'FieldValueInvalid', value, detail: `${inBody} should be less than ${e.keyword === 'maximum' ? 'or equal to ' : ''}${String(p.limit)}` };
    case 'maxLength':
      return { field, type: 'FieldValueTooLong', value, detail: `may not be more than ${String(p.limit)} bytes` };
    case 'minLength':
      return { field, type: 'FieldValueInvalid', value, detail: `${inBody} should be at least ${String(p.limit)} chars long` };
    case 'maxItems':
      return { field, type: 'FieldValueTooMany', value, detail: `must have at most ${String(p.limit)} items` };
    case 'minItems':
      return { field, type: 'FieldValueInvalid', value, detail: `${inBody} should have at least ${String(p.limit)} items` };
    case 'pattern':
      return { field, type: 'FieldValueInvalid', value, detail: `${inBody} should match '${String(p.pattern)}'` };
    case 'format':
      return { field, type: 'FieldValueInvalid', value, detail: `${inBody} must be of type ${String(p.format)}: ${JSON.stringify(value)}` };
    default:
      return { field, type: 'FieldValueInvalid', value, detail: `${inBody} ${e.message ?? 'is invalid'}` };
  }
}

/**
 * Compiles a CRD version's `openAPIV3Schema` (a structural schema) with Ajv. Validation reports
 * every error (not just the first) as FieldErrors whose details read like kube-apiserver's, e.g.
 * `spec.replicas in body must be of type integer: "string"`. Throws if Ajv cannot compile the schema.
 */
export function compileStructuralSchema(openAPIV3Schema: JsonSchema): CompiledStructuralSchema {
  const check = createAjv().compile(toAjvSchema(openAPIV3Schema));
  return {
    validate(obj) {
      if (check(obj)) return [];
      // anyOf/oneOf report each failed branch and then themselves; the summary error is enough.
      const errors = (check.errors ?? []).filter((e) => !e.schemaPath.includes('/anyOf/') && !e.schemaPath.includes('/oneOf/'));
      return errors.map((e) => toFieldError(e, obj));
    },
    prune: (obj) => pruneUnknownFields(obj, openAPIV3Schema),
  };
}

import type { JsonSchema, SchemaSet } from './types.ts';

/** A value whose JSON type does not fit its schema, as Go's JSON decoder would refuse it. */
export interface FieldTypeError {
  /** `.spec.replicas`, `.spec.template.spec.containers[0].ports` */
  path: string;
  /** Schema type: `integer`, `string`, `object`, `array`, `boolean`, `number`, `int-or-string`. */
  expected: string;
  /** JSON type of the value: `string`, `number`, `boolean`, `array`, `object`. */
  got: string;
}

interface Findings {
  unknown: string[];
  typeErrors: FieldTypeError[];
}

function jsonType(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  return typeof value === 'object' ? 'object' : typeof value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The schema's expected type, or undefined when any value is accepted. */
function expectedType(schema: JsonSchema): string | undefined {
  if (schema['x-kubernetes-int-or-string'] === true) return 'int-or-string';
  return schema.type;
}

function fits(value: unknown, expected: string): boolean {
  switch (expected) {
    case 'int-or-string':
      return typeof value === 'string' || typeof value === 'number';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'object':
      return isPlainObject(value);
    case 'array':
      return Array.isArray(value);
    default:
      return typeof value === expected;
  }
}

function inspectObject(value: Record<string, unknown>, schema: JsonSchema, path: string, schemas: SchemaSet, out: Findings): void {
  const props = schema.properties;
  const extra = schema.additionalProperties;
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  for (const [key, child] of Object.entries(value)) {
    const childPath = `${path}.${key}`;
    const known = props !== undefined && Object.hasOwn(props, key) ? props[key] : undefined;
    if (known !== undefined) inspect(child, known, childPath, schemas, out);
    else if (typeof extra === 'object') inspect(child, extra, childPath, schemas, out);
    else if (extra !== true && !preserve && (props !== undefined || extra === false)) out.unknown.push(childPath);
  }
}

function inspect(value: unknown, raw: JsonSchema, path: string, schemas: SchemaSet, out: Findings): void {
  // Go decodes null into any field as its zero value, so null is never a type error.
  if (value === null || value === undefined) return;
  const schema = schemas.resolve(raw);
  const expected = expectedType(schema);
  if (expected !== undefined && !fits(value, expected)) {
    out.typeErrors.push({ path, expected, got: jsonType(value) });
    return;
  }
  if (Array.isArray(value) && schema.items !== undefined) {
    value.forEach((item, i) => inspect(item, schema.items as JsonSchema, `${path}[${i}]`, schemas, out));
  } else if (isPlainObject(value) && (schema.properties !== undefined || schema.additionalProperties !== undefined)) {
    inspectObject(value, schema, path, schemas, out);
  }
}

function findings(obj: unknown, schemaName: string, schemas: SchemaSet): Findings {
  const out: Findings = { unknown: [], typeErrors: [] };
  const root = schemas.definition(schemaName);
  if (root !== undefined) inspect(obj, root, '', schemas, out);
  return out;
}

/**
 * Paths of fields the schema does not declare (`.spec.bogus`,
 * `.spec.template.spec.containers[0].bogus`), in document order. Maps (`additionalProperties`) and
 * `x-kubernetes-preserve-unknown-fields` subtrees accept any key. The API server answers these per
 * `fieldValidation`: Strict ⇒ 400, Warn ⇒ `Warning` headers, Ignore ⇒ nothing. Unknown schema ⇒ [].
 */
export function unknownFields(obj: unknown, schemaName: string, schemas: SchemaSet): string[] {
  return findings(obj, schemaName, schemas).unknown;
}

/**
 * Values whose JSON type does not match the schema (containers given as a string, an integer field
 * given `"3"`). Upstream fails these in decoding, before any validation, with 400 BadRequest.
 */
export function typeErrors(obj: unknown, schemaName: string, schemas: SchemaSet): FieldTypeError[] {
  return findings(obj, schemaName, schemas).typeErrors;
}

/** One line per error, e.g. `.spec.replicas: expected integer, got string`. */
export function typeErrorMessage(error: FieldTypeError): string {
  return `${error.path === '' ? '<root>' : error.path}: expected ${error.expected}, got ${error.got}`;
}

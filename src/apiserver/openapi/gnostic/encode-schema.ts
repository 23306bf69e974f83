import type { SwaggerV2Schema } from '../v2-types.ts';
import { ADDITIONAL_PROPERTIES_ITEM, ANY, ITEMS_ITEM, NAMED, NAMED_SCHEMAS, SCHEMA, TYPE_ITEM } from './messages.ts';
import {
  doubleField,
  int64Field,
  message,
  messageField,
  oneofBoolField,
  repeatedMessageField,
  repeatedStringField,
  stringField,
  type EncodedField,
} from './wire-writer.ts';

/**
 * An `Any` holding a JSON value as YAML. JSON text is valid YAML, and unlike a YAML emitter it
 * always quotes strings, so kubectl's YAML 1.1 reader cannot mistake `"y"` or `"on"` for booleans.
 */
export function encodeAny(value: unknown): Buffer {
  return message(stringField(ANY.yaml, JSON.stringify(value)));
}

function encodeNamedAny(name: string, value: unknown): Buffer {
  return message(stringField(NAMED.name, name), messageField(NAMED.value, encodeAny(value)));
}

/** The `x-*` keys of an object as repeated NamedAny entries (vendor extensions), in key order. */
export function vendorExtensionFields(fieldNumber: number, source: object): EncodedField[] {
  const entries = Object.entries(source).filter(([key, value]) => key.startsWith('x-') && value !== undefined);
  return repeatedMessageField(fieldNumber, entries.map(([key, value]) => encodeNamedAny(key, value)));
}

/** `Definitions` / `Properties`: ordered (name, Schema) pairs. */
export function encodeNamedSchemas(schemas: Record<string, SwaggerV2Schema>): Buffer {
  const entries = Object.entries(schemas).map(([name, schema]) =>
    message(stringField(NAMED.name, name), messageField(NAMED.value, encodeSchema(schema))),
  );
  return message(repeatedMessageField(NAMED_SCHEMAS.additionalProperties, entries));
}

function encodeAdditionalProperties(value: SwaggerV2Schema | boolean | undefined): Buffer | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'boolean') return message(oneofBoolField(ADDITIONAL_PROPERTIES_ITEM.boolean, value));
  return message(messageField(ADDITIONAL_PROPERTIES_ITEM.schema, encodeSchema(value)));
}

/** Encodes one Swagger 2.0 schema as a gnostic `Schema` message. */
export function encodeSchema(s: SwaggerV2Schema): Buffer {
  return message(
    stringField(SCHEMA.ref, s.$ref),
    stringField(SCHEMA.format, s.format),
    stringField(SCHEMA.title, s.title),
    stringField(SCHEMA.description, s.description),
    messageField(SCHEMA.default, s.default === undefined ? undefined : encodeAny(s.default)),
    doubleField(SCHEMA.maximum, s.maximum),
    doubleField(SCHEMA.minimum, s.minimum),
    int64Field(SCHEMA.maxLength, s.maxLength),
    int64Field(SCHEMA.minLength, s.minLength),
    stringField(SCHEMA.pattern, s.pattern),
    int64Field(SCHEMA.maxItems, s.maxItems),
    int64Field(SCHEMA.minItems, s.minItems),
    repeatedStringField(SCHEMA.required, s.required),
    repeatedMessageField(SCHEMA.enum, (s.enum ?? []).map(encodeAny)),
    messageField(SCHEMA.additionalProperties, encodeAdditionalProperties(s.additionalProperties)),
    messageField(SCHEMA.type, s.type === undefined ? undefined : message(repeatedStringField(TYPE_ITEM.value, [s.type]))),
    messageField(SCHEMA.items, s.items === undefined ? undefined : message(messageField(ITEMS_ITEM.schema, encodeSchema(s.items)))),
    repeatedMessageField(SCHEMA.allOf, (s.allOf ?? []).map(encodeSchema)),
    messageField(SCHEMA.properties, s.properties === undefined ? undefined : encodeNamedSchemas(s.properties)),
    vendorExtensionFields(SCHEMA.vendorExtension, s),
  );
}

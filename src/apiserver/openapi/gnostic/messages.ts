/**
 * Field numbers of the gnostic `openapi.v2` protobuf messages Minato emits (the wire layout of
 * gnostic-models `openapiv2`, which kubectl decodes). Only the messages and fields we write are
 * described; anything unlisted is never sent. Maps are encoded as repeated `Named*` pairs
 * (`name` = 1, `value` = 2), and every "any" value travels as a YAML string in `Any.yaml`.
 */

/** `Named*` map entries (NamedAny, NamedSchema, NamedPathItem, NamedResponseValue…). */
export const NAMED = { name: 1, value: 2 } as const;

/** `Any`: arbitrary JSON/YAML values (defaults, enums, vendor extensions). */
export const ANY = { yaml: 2 } as const;

export const DOCUMENT = {
  swagger: 1,
  info: 2,
  host: 3,
  basePath: 4,
  schemes: 5,
  consumes: 6,
  produces: 7,
  paths: 8,
  definitions: 9,
  vendorExtension: 16,
} as const;

export const INFO = { title: 1, version: 2, description: 3, vendorExtension: 7 } as const;

/** `Paths`: repeated NamedPathItem. */
export const PATHS = { vendorExtension: 1, path: 2 } as const;

export const PATH_ITEM = { get: 2, put: 3, post: 4, delete: 5, options: 6, head: 7, patch: 8, parameters: 9, vendorExtension: 10 } as const;

export const OPERATION = {
  tags: 1,
  summary: 2,
  description: 3,
  operationId: 5,
  produces: 6,
  consumes: 7,
  parameters: 8,
  responses: 9,
  schemes: 10,
  deprecated: 11,
  vendorExtension: 13,
} as const;

/** `ParametersItem` oneof: an inline Parameter or a `$ref`. */
export const PARAMETERS_ITEM = { parameter: 1, jsonReference: 2 } as const;

/** `Parameter` oneof. */
export const PARAMETER = { bodyParameter: 1, nonBodyParameter: 2 } as const;

export const BODY_PARAMETER = { description: 1, name: 2, in: 3, required: 4, schema: 5 } as const;

/** `NonBodyParameter` oneof (header and formData are never emitted). */
export const NON_BODY_PARAMETER = { queryParameterSubSchema: 3, pathParameterSubSchema: 4 } as const;

export const QUERY_PARAMETER = { required: 1, in: 2, description: 3, name: 4, type: 6, format: 7, uniqueItems: 20 } as const;

export const PATH_PARAMETER = { required: 1, in: 2, description: 3, name: 4, type: 5, format: 6, uniqueItems: 19 } as const;

/** `Responses`: repeated NamedResponseValue keyed by status code. */
export const RESPONSES = { responseCode: 1, vendorExtension: 2 } as const;

/** `ResponseValue` oneof: an inline Response. */
export const RESPONSE_VALUE = { response: 1 } as const;

export const RESPONSE = { description: 1, schema: 2 } as const;

/** `SchemaItem` oneof: a Schema (file schemas are never emitted). */
export const SCHEMA_ITEM = { schema: 1 } as const;

/** `Definitions` and `Properties`: repeated NamedSchema. */
export const NAMED_SCHEMAS = { additionalProperties: 1 } as const;

export const SCHEMA = {
  ref: 1,
  format: 2,
  title: 3,
  description: 4,
  default: 5,
  maximum: 7,
  minimum: 9,
  maxLength: 11,
  minLength: 12,
  pattern: 13,
  maxItems: 14,
  minItems: 15,
  required: 19,
  enum: 20,
  additionalProperties: 21,
  type: 22,
  items: 23,
  allOf: 24,
  properties: 25,
  vendorExtension: 31,
} as const;

/** `AdditionalPropertiesItem` oneof. */
export const ADDITIONAL_PROPERTIES_ITEM = { schema: 1, boolean: 2 } as const;

/** `TypeItem`: repeated string. */
export const TYPE_ITEM = { value: 1 } as const;

/** `ItemsItem`: repeated Schema. */
export const ITEMS_ITEM = { schema: 1 } as const;

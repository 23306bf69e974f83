/**
 * The subset of Swagger 2.0 (OpenAPI v2) that Minato publishes at `/openapi/v2`. Plain JSON
 * shapes: the gnostic protobuf encoder (`gnostic/`) turns one of these into the wire form
 * kubectl 1.27/1.28 reads.
 */

/** Vendor extensions (`x-kubernetes-*` and friends) carried on schemas and operations. */
export type VendorExtensions = { [extension: `x-${string}`]: unknown };

/** A Swagger 2.0 schema object; `$ref` points at `#/definitions/<name>`. */
export interface SwaggerV2Schema extends VendorExtensions {
  $ref?: string;
  type?: string;
  format?: string;
  title?: string;
  description?: string;
  default?: unknown;
  enum?: unknown[];
  required?: string[];
  properties?: Record<string, SwaggerV2Schema>;
  additionalProperties?: SwaggerV2Schema | boolean;
  items?: SwaggerV2Schema;
  allOf?: SwaggerV2Schema[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
}

/** A non-body parameter (`in: query | path`), always a primitive. */
export interface SwaggerV2SimpleParameter {
  name: string;
  in: 'query' | 'path';
  description?: string;
  required?: boolean;
  type: 'string' | 'integer' | 'boolean';
  uniqueItems?: boolean;
}

/** The request body parameter of create/replace/patch/delete operations. */
export interface SwaggerV2BodyParameter {
  name: 'body';
  in: 'body';
  description?: string;
  required?: boolean;
  schema: SwaggerV2Schema;
}

export type SwaggerV2Parameter = SwaggerV2SimpleParameter | SwaggerV2BodyParameter;

export interface SwaggerV2Response {
  description: string;
  schema?: SwaggerV2Schema;
}

export interface SwaggerV2Operation extends VendorExtensions {
  description?: string;
  operationId?: string;
  consumes?: string[];
  produces?: string[];
  schemes?: string[];
  tags?: string[];
  parameters?: SwaggerV2Parameter[];
  responses: Record<string, SwaggerV2Response>;
}

export type SwaggerV2Method = 'get' | 'put' | 'post' | 'delete' | 'patch';

/** A path item: operations by method plus parameters shared by all of them (path segments). */
export type SwaggerV2PathItem = { [M in SwaggerV2Method]?: SwaggerV2Operation } & {
  parameters?: SwaggerV2Parameter[];
};

export interface SwaggerV2Document {
  swagger: '2.0';
  info: { title: string; version: string; description?: string };
  paths: Record<string, SwaggerV2PathItem>;
  definitions: Record<string, SwaggerV2Schema>;
}

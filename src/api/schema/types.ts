/**
 * The JSON-Schema subset Minato's schema registry uses (OpenAPI 3.0 flavoured), with the
 * Kubernetes vendor extensions that drive patching, apply and explain.
 */
export interface JsonSchema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  format?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  additionalProperties?: JsonSchema | boolean;
  enum?: unknown[];
  default?: unknown;
  /** Reference to a named definition: `#/components/schemas/<name>`. */
  $ref?: string;
  allOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  'x-kubernetes-group-version-kind'?: Array<{ group: string; version: string; kind: string }>;
  'x-kubernetes-patch-strategy'?: string;
  'x-kubernetes-patch-merge-key'?: string;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: 'atomic' | 'granular';
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  [extension: `x-${string}`]: unknown;
}

/**
 * Named schemas (OpenAPI definition names such as `io.k8s.api.core.v1.Pod`), resolvable by `$ref`.
 * Built once at start-up from the generated built-in schemas plus CRDs; read-only afterwards.
 */
export interface SchemaSet {
  /** The definition with this name, or undefined. */
  definition(name: string): JsonSchema | undefined;
  /** Follows `$ref` (and a single-element `allOf`) until a concrete schema is reached. */
  resolve(schema: JsonSchema): JsonSchema;
  /** The definition name for a kind, e.g. apps/v1 Deployment → `io.k8s.api.apps.v1.Deployment`. */
  nameForKind(gvk: { group: string; version: string; kind: string }): string | undefined;
}

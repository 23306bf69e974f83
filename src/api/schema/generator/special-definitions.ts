import type { JsonSchema } from '../types.ts';
import { INT_OR_STRING, META_V1, schemaRef } from './definition-names.ts';

/**
 * Definitions whose wire form the TypeScript declarations cannot express (they are `string`
 * aliases or empty interfaces there). Keyed by upstream definition name; the generator keeps the
 * declaration's description and replaces the shape with these.
 */
export const SPECIAL_SHAPES: Record<string, JsonSchema> = {
  [`${META_V1}.Time`]: { type: 'string', format: 'date-time' },
  [`${META_V1}.MicroTime`]: { type: 'string', format: 'date-time' },
  // Clients send numbers for quantities (`cpu: 1`), so no `type`: a typed schema would make kubectl
  // explain print `string` instead of the definition name, and reject `cpu: 1` in strict checks.
  'io.k8s.apimachinery.pkg.api.resource.Quantity': { format: 'quantity', 'x-kubernetes-int-or-string': true },
  'io.k8s.apimachinery.pkg.runtime.RawExtension': { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
  [`${META_V1}.FieldsV1`]: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
  [`${META_V1}.Patch`]: { type: 'object' },
  // Any JSON value (a CRD `default: 3` is valid), so no `type`.
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON': { 'x-kubernetes-preserve-unknown-fields': true },
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrArray': { 'x-kubernetes-preserve-unknown-fields': true },
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrBool': { 'x-kubernetes-preserve-unknown-fields': true },
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrStringArray': { 'x-kubernetes-preserve-unknown-fields': true },
};

/** Definitions kubernetes-types has no declaration for. */
export const EXTRA_DEFINITIONS: Record<string, JsonSchema> = {
  [INT_OR_STRING]: {
    description:
      'IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to have, for example, a JSON field that can accept a name or number.',
    // No `type`, for the same reason as Quantity.
    format: 'int-or-string',
    'x-kubernetes-int-or-string': true,
  },
};

const APIEXT = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1';

/**
 * Properties upstream's JSONSchemaProps has but kubernetes-types omits (the vendor extensions CRD
 * authors write); without them a CRD's own schema would fail our unknown-field check.
 */
export const EXTRA_PROPERTIES: Record<string, Record<string, JsonSchema>> = {
  [`${APIEXT}.JSONSchemaProps`]: {
    'x-kubernetes-embedded-resource': { type: 'boolean', description: 'x-kubernetes-embedded-resource defines that the value is an embedded Kubernetes runtime.Object, with TypeMeta and ObjectMeta.' },
    'x-kubernetes-int-or-string': { type: 'boolean', description: 'x-kubernetes-int-or-string specifies that this value is either an integer or a string.' },
    'x-kubernetes-list-map-keys': { type: 'array', items: { type: 'string' }, description: 'x-kubernetes-list-map-keys annotates an array with the x-kubernetes-list-type `map` by specifying the keys used as the index of the map.' },
    'x-kubernetes-list-type': { type: 'string', description: 'x-kubernetes-list-type annotates an array to further describe its topology: atomic, set or map.' },
    'x-kubernetes-map-type': { type: 'string', description: 'x-kubernetes-map-type annotates an object to further describe its topology: granular or atomic.' },
    'x-kubernetes-preserve-unknown-fields': { type: 'boolean', description: 'x-kubernetes-preserve-unknown-fields stops the API server decoding step from pruning fields which are not specified in the validation schema.' },
    'x-kubernetes-validations': { type: 'array', items: { $ref: schemaRef(`${APIEXT}.ValidationRule`) }, description: 'x-kubernetes-validations describes a list of validation rules written in the CEL expression language.' },
  },
};

/** Kinds that exist in every group-version (upstream lists one GVK entry per served GV). */
export const UNIVERSAL_KINDS = [`${META_V1}.DeleteOptions`, `${META_V1}.WatchEvent`];

/** Kinds whose declaration has a free-form `apiVersion`, so the generator cannot infer their GVK. */
export const FIXED_GVKS: Record<string, { group: string; version: string; kind: string }> = {
  [`${META_V1}.Status`]: { group: '', version: 'v1', kind: 'Status' },
};

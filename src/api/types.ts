import type { ObjectMeta } from 'kubernetes-types/meta/v1.js';

/** ObjectMeta as the server writes it (kubernetes-types marks server-set fields readonly). */
export type MutableObjectMeta = { -readonly [K in keyof ObjectMeta]: ObjectMeta[K] };

/** The part of any object that generic code reads: satisfied by kubernetes-types interfaces too. */
export interface ObjectLike {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
}

/** Any Kubernetes object as it travels on the wire and sits in the store (plain JSON). */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: MutableObjectMeta;
  [field: string]: unknown;
}

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

export interface GroupVersionResource {
  group: string;
  version: string;
  resource: string;
}

/** One invalid field, shaped like apimachinery's field.Error and rendered into Status causes. */
export interface FieldError {
  /** Dotted path as Kubernetes prints it, e.g. `spec.template.spec.containers[0].image`. */
  field: string;
  type:
    | 'FieldValueRequired'
    | 'FieldValueInvalid'
    | 'FieldValueNotSupported'
    | 'FieldValueDuplicate'
    | 'FieldValueForbidden'
    | 'FieldValueTooLong'
    | 'FieldValueTooMany'
    | 'FieldValueTypeInvalid'
    | 'FieldValueNotFound';
  /** The offending value, when there is one (printed as `Invalid value: <json>`). */
  value?: unknown;
  /** Extra detail, e.g. `must be greater than or equal to 0`. */
  detail?: string;
}

export function apiVersionOf(gv: { group: string; version: string }): string {
  return gv.group === '' ? gv.version : `${gv.group}/${gv.version}`;
}

export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

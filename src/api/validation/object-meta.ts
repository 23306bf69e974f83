import type { ObjectMeta, OwnerReference } from 'kubernetes-types/meta/v1.js';
import type { FieldError } from '../types.ts';
import { immutable, nonNegative, validateLabels } from './common-rules.ts';
import { forbidden, invalid, invalidEach, required, tooLong } from './field-errors.ts';
import { FieldPath } from './field-path.ts';
import { dns1123Label, dns1123Subdomain, qualifiedName } from './name-rules.ts';

/** A rule for `metadata.name`, returning upstream's messages (see `name-rules.ts`). */
export type NameRule = (name: string) => string[];

/** What object-meta validation needs to know about the kind. */
export interface ObjectMetaOptions {
  /** Namespaced kinds require `metadata.namespace`; cluster-scoped kinds forbid it. */
  namespaced: boolean;
  /** Rule for `metadata.name` and `metadata.generateName`; default: DNS-1123 subdomain. */
  nameRule?: NameRule;
}

/** Annotations may not exceed 256 KiB in total (keys plus values), as upstream limits them. */
export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

const META = FieldPath.root('metadata');

/** Validates `metadata` of a new object (also applied to updates by {@link validateObjectMetaUpdate}). */
export function validateObjectMeta(meta: ObjectMeta | undefined, options: ObjectMetaOptions): FieldError[] {
  const m = meta ?? {};
  const nameRule = options.nameRule ?? dns1123Subdomain;
  return [
    ...validateNames(m, nameRule),
    ...validateNamespace(m.namespace, options.namespaced),
    ...nonNegative(m.generation, META.child('generation')),
    ...validateLabels(m.labels, META.child('labels')),
    ...validateAnnotations(m.annotations, META.child('annotations')),
    ...validateOwnerReferences(m.ownerReferences ?? [], META.child('ownerReferences')),
    ...validateFinalizers(m.finalizers ?? [], META.child('finalizers')),
  ];
}

function validateNames(m: ObjectMeta, nameRule: NameRule): FieldError[] {
  const errs: FieldError[] = [];
  if (m.generateName) {
    // A generated name gets a random suffix, so a trailing '-' in the prefix is fine.
    const prefix = m.generateName.endsWith('-') ? `${m.generateName.slice(0, -1)}a` : m.generateName;
    errs.push(...invalidEach(META.child('generateName'), m.generateName, nameRule(prefix)));
  }
  if (!m.name) {
    if (!m.generateName) errs.push(required(META.child('name'), 'name or generateName is required'));
    return errs;
  }
  return [...errs, ...invalidEach(META.child('name'), m.name, nameRule(m.name))];
}

function validateNamespace(namespace: string | undefined, namespaced: boolean): FieldError[] {
  const path = META.child('namespace');
  if (!namespaced) return namespace ? [forbidden(path, 'not allowed on this type')] : [];
  if (!namespace) return [required(path)];
  return invalidEach(path, namespace, dns1123Label(namespace));
}

/** Annotation keys are qualified names; keys plus values total at most 256 KiB. */
export function validateAnnotations(annotations: Record<string, string> | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  let size = 0;
  for (const [key, value] of Object.entries(annotations ?? {})) {
    errs.push(...invalidEach(path, key, qualifiedName(key.toLowerCase())));
    size += Buffer.byteLength(key) + Buffer.byteLength(String(value));
  }
  if (size > TOTAL_ANNOTATION_SIZE_LIMIT) errs.push(tooLong(path, '', `must have at most ${TOTAL_ANNOTATION_SIZE_LIMIT} bytes`));
  return errs;
}

function validateOwnerReferences(refs: OwnerReference[], path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const ref of refs) {
    if (!ref.apiVersion) errs.push(invalid(path.child('apiVersion'), ref.apiVersion ?? '', 'version must not be empty'));
    if (!ref.kind) errs.push(invalid(path.child('kind'), ref.kind ?? '', 'kind must not be empty'));
    if (!ref.name) errs.push(invalid(path.child('name'), ref.name ?? '', 'name must not be empty'));
    if (!ref.uid) errs.push(invalid(path.child('uid'), ref.uid ?? '', 'uid must not be empty'));
  }
  const controllers = refs.filter((r) => r.controller === true);
  if (controllers.length > 1) {
    const names = controllers.map((r) => `{${r.apiVersion} ${r.kind} ${r.name} ${r.uid}}`).join(', ');
    errs.push(invalid(path, refs, `Only one reference can have Controller set to true. Found "true" in references for ${names}`));
  }
  return errs;
}

function validateFinalizers(finalizers: string[], path: FieldPath): FieldError[] {
  return finalizers.flatMap((f) => invalidEach(path, f, qualifiedName(f)));
}

/** Validates `metadata` on update: everything {@link validateObjectMeta} checks, plus immutable fields. */
export function validateObjectMetaUpdate(meta: ObjectMeta | undefined, old: ObjectMeta | undefined, options: ObjectMetaOptions): FieldError[] {
  const m = meta ?? {};
  const o = old ?? {};
  const errs = validateObjectMeta(m, options);
  errs.push(...immutable(m.name, o.name, META.child('name')));
  errs.push(...immutable(m.namespace ?? '', o.namespace ?? '', META.child('namespace')));
  // Clients often omit system fields on PUT; the server carries them over, so only a changed value is an error.
  if (m.uid) errs.push(...immutable(m.uid, o.uid, META.child('uid')));
  if (m.creationTimestamp) errs.push(...immutable(m.creationTimestamp, o.creationTimestamp, META.child('creationTimestamp')));
  if (o.deletionTimestamp) {
    const existing = new Set(o.finalizers ?? []);
    if ((m.finalizers ?? []).some((f) => !existing.has(f))) {
      errs.push(forbidden(META.child('finalizers'), 'no new finalizers can be added if the object is being deleted'));
    }
  }
  return errs;
}

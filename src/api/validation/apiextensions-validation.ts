import type { CustomResourceDefinition, CustomResourceDefinitionNames, CustomResourceDefinitionVersion } from 'kubernetes-types/apiextensions/v1.js';
import type { FieldError, KubeObject } from '../types.ts';
import { immutable, oneOf } from './common-rules.ts';
import { duplicate, invalid, invalidEach, required } from './field-errors.ts';
import { FieldPath } from './field-path.ts';
import { dns1035Label, dns1123Label, dns1123Subdomain } from './name-rules.ts';

const SPEC = FieldPath.root('spec');

/**
 * CustomResourceDefinition: group, names, scope, versions (exactly one storage version, each with a
 * schema) and `metadata.name` equal to `<plural>.<group>`. Group, scope and plural are fixed.
 */
export function validateCustomResourceDefinition(obj: KubeObject, old?: KubeObject): FieldError[] {
  const crd = obj as unknown as CustomResourceDefinition;
  const spec = crd.spec;
  if (!spec) return [required(SPEC)];
  const errs: FieldError[] = [];
  if (!spec.group) errs.push(required(SPEC.child('group')));
  else {
    errs.push(...invalidEach(SPEC.child('group'), spec.group, dns1123Subdomain(spec.group)));
    if (!spec.group.includes('.')) errs.push(invalid(SPEC.child('group'), spec.group, 'should be a domain with at least one dot'));
  }
  errs.push(...validateNames(spec.names, SPEC.child('names')));
  const expected = `${spec.names?.plural ?? ''}.${spec.group ?? ''}`;
  if (crd.metadata?.name !== expected) errs.push(invalid(FieldPath.root('metadata', 'name'), crd.metadata?.name ?? '', 'must be spec.names.plural+"."+spec.group'));
  errs.push(...oneOf(spec.scope, ['Cluster', 'Namespaced'], SPEC.child('scope'), true));
  errs.push(...validateVersions(spec.versions ?? []));
  errs.push(...oneOf(spec.conversion?.strategy, ['None', 'Webhook'], SPEC.child('conversion', 'strategy')));
  if (spec.conversion?.strategy === 'Webhook' && !spec.conversion.webhook) errs.push(required(SPEC.child('conversion', 'webhook'), 'required when strategy is set to Webhook'));
  const before = (old as unknown as CustomResourceDefinition | undefined)?.spec;
  if (before) {
    errs.push(...immutable(spec.group, before.group, SPEC.child('group')));
    errs.push(...immutable(spec.scope, before.scope, SPEC.child('scope')));
    errs.push(...immutable(spec.names?.plural, before.names?.plural, SPEC.child('names', 'plural')));
  }
  return errs;
}

function validateNames(names: CustomResourceDefinitionNames | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!names?.plural) errs.push(required(path.child('plural')));
  else errs.push(...invalidEach(path.child('plural'), names.plural, dns1123Label(names.plural)));
  if (names?.singular) errs.push(...invalidEach(path.child('singular'), names.singular, dns1123Label(names.singular)));
  if (!names?.kind) errs.push(required(path.child('kind')));
  else if (!/^[A-Za-z][A-Za-z0-9]*$/.test(names.kind)) errs.push(invalid(path.child('kind'), names.kind, 'may have mixed case, but should otherwise match: [a-z]([-a-z0-9]*[a-z0-9])?'));
  if (names?.listKind && names.listKind === names.kind) errs.push(invalid(path.child('listKind'), names.listKind, 'kind and listKind may not be the same'));
  (names?.shortNames ?? []).forEach((s, i) => errs.push(...invalidEach(path.child('shortNames').index(i), s, dns1123Label(s))));
  return errs;
}

function validateVersions(versions: CustomResourceDefinitionVersion[]): FieldError[] {
  const path = SPEC.child('versions');
  if (versions.length === 0) return [required(path, 'must have at least one version')];
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  versions.forEach((v, i) => {
    const at = path.index(i);
    if (!v.name) errs.push(required(at.child('name')));
    else errs.push(...invalidEach(at.child('name'), v.name, dns1035Label(v.name)));
    if (v.name && seen.has(v.name)) errs.push(duplicate(at.child('name'), v.name));
    seen.add(v.name);
    if (!v.schema?.openAPIV3Schema) errs.push(required(at.child('schema', 'openAPIV3Schema'), 'schemas are required'));
  });
  if (versions.filter((v) => v.storage).length !== 1) errs.push(invalid(path, versions, 'must have exactly one version marked as storage version'));
  if (!versions.some((v) => v.served)) errs.push(invalid(path, versions, 'must have at least one version marked as served'));
  return errs;
}

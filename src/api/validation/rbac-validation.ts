import type { ClusterRole, PolicyRule, RoleBinding, RoleRef, Subject } from 'kubernetes-types/rbac/v1.js';
import type { FieldError, KubeObject } from '../types.ts';
import { jsonEqual, validateLabelSelector } from './common-rules.ts';
import { invalid, invalidEach, notSupported, required } from './field-errors.ts';
import { FieldPath } from './field-path.ts';
import { dns1123Label, dns1123Subdomain, pathSegmentName } from './name-rules.ts';

export const RBAC_GROUP = 'rbac.authorization.k8s.io';

function validateRules(rules: PolicyRule[], namespaced: boolean): FieldError[] {
  return rules.flatMap((rule, i) => {
    const at = FieldPath.root('rules').index(i);
    const errs: FieldError[] = [];
    if ((rule.verbs ?? []).length === 0) errs.push(required(at.child('verbs'), 'verbs must contain at least one value'));
    const urls = rule.nonResourceURLs ?? [];
    if (urls.length > 0) {
      if (namespaced) errs.push(invalid(at.child('nonResourceURLs'), urls, 'namespaced rules cannot apply to non-resource URLs'));
      if ((rule.apiGroups ?? []).length > 0 || (rule.resources ?? []).length > 0 || (rule.resourceNames ?? []).length > 0) {
        errs.push(invalid(at.child('nonResourceURLs'), urls, 'rules can either apply to URLs or resources, not both'));
      }
      return errs;
    }
    if ((rule.apiGroups ?? []).length === 0) errs.push(required(at.child('apiGroups'), 'resource rules must supply at least one api group'));
    if ((rule.resources ?? []).length === 0) errs.push(required(at.child('resources'), 'resource rules must supply at least one resource'));
    return errs;
  });
}

/** Role: every rule has verbs, api groups and resources; no non-resource URLs. */
export function validateRole(obj: KubeObject): FieldError[] {
  return validateRules((obj.rules as PolicyRule[] | undefined) ?? [], true);
}

/** ClusterRole: rules as for Role (URLs allowed), aggregation selectors valid. */
export function validateClusterRole(obj: KubeObject): FieldError[] {
  const role = obj as ClusterRole;
  const errs = validateRules(role.rules ?? [], false);
  (role.aggregationRule?.clusterRoleSelectors ?? []).forEach((s, i) => {
    errs.push(...validateLabelSelector(s, FieldPath.root('aggregationRule', 'clusterRoleSelectors').index(i)));
  });
  return errs;
}

function validateRoleRef(ref: RoleRef | undefined, kinds: string[]): FieldError[] {
  const path = FieldPath.root('roleRef');
  const errs: FieldError[] = [];
  if (ref?.apiGroup !== RBAC_GROUP) errs.push(notSupported(path.child('apiGroup'), ref?.apiGroup ?? '', [RBAC_GROUP]));
  if (!ref?.kind || !kinds.includes(ref.kind)) errs.push(notSupported(path.child('kind'), ref?.kind ?? '', kinds));
  if (!ref?.name) errs.push(required(path.child('name')));
  else errs.push(...invalidEach(path.child('name'), ref.name, pathSegmentName(ref.name)));
  return errs;
}

function validateSubject(subject: Subject, at: FieldPath, clusterBinding: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (!subject.name) errs.push(required(at.child('name')));
  switch (subject.kind) {
    case 'ServiceAccount':
      if (subject.name) errs.push(...invalidEach(at.child('name'), subject.name, dns1123Subdomain(subject.name)));
      if (subject.apiGroup) errs.push(notSupported(at.child('apiGroup'), subject.apiGroup, ['']));
      if (clusterBinding && !subject.namespace) errs.push(required(at.child('namespace')));
      if (subject.namespace) errs.push(...invalidEach(at.child('namespace'), subject.namespace, dns1123Label(subject.namespace)));
      break;
    case 'User':
    case 'Group':
      if (subject.apiGroup !== RBAC_GROUP) errs.push(notSupported(at.child('apiGroup'), subject.apiGroup ?? '', [RBAC_GROUP]));
      break;
    default:
      errs.push(notSupported(at.child('kind'), subject.kind ?? '', ['ServiceAccount', 'User', 'Group']));
  }
  return errs;
}

function validateBinding(obj: KubeObject, old: KubeObject | undefined, cluster: boolean): FieldError[] {
  const binding = obj as unknown as RoleBinding;
  const errs = validateRoleRef(binding.roleRef, cluster ? ['ClusterRole'] : ['Role', 'ClusterRole']);
  (binding.subjects ?? []).forEach((s, i) => errs.push(...validateSubject(s, FieldPath.root('subjects').index(i), cluster)));
  const oldRef = (old as unknown as RoleBinding | undefined)?.roleRef;
  if (old && !jsonEqual(binding.roleRef, oldRef)) errs.push(invalid(FieldPath.root('roleRef'), binding.roleRef, 'cannot change roleRef'));
  return errs;
}

/** RoleBinding: roleRef to a Role or ClusterRole (immutable), well-formed subjects. */
export function validateRoleBinding(obj: KubeObject, old?: KubeObject): FieldError[] {
  return validateBinding(obj, old, false);
}

/** ClusterRoleBinding: roleRef to a ClusterRole (immutable); ServiceAccount subjects need a namespace. */
export function validateClusterRoleBinding(obj: KubeObject, old?: KubeObject): FieldError[] {
  return validateBinding(obj, old, true);
}

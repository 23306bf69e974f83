import type { PolicyRule, Subject } from 'kubernetes-types/rbac/v1.js';
import type { Attributes } from './authorizer.ts';
import { parseServiceAccountUsername, type UserInfo } from './user-info.ts';

const ALL = '*';

/** True when `rule` grants the request described by `attrs` (upstream `RuleAllows`). */
export function ruleAllows(attrs: Attributes, rule: PolicyRule): boolean {
  if (!verbMatches(rule, attrs.verb)) return false;
  if (!attrs.resourceRequest) return nonResourceUrlMatches(rule, attrs.path ?? '');
  return (
    apiGroupMatches(rule, attrs.apiGroup ?? '') &&
    resourceMatches(rule, attrs.resource ?? '', attrs.subresource ?? '') &&
    resourceNameMatches(rule, attrs.name ?? '')
  );
}

function verbMatches(rule: PolicyRule, verb: string): boolean {
  return rule.verbs.some((v) => v === ALL || v === verb);
}

function apiGroupMatches(rule: PolicyRule, group: string): boolean {
  return (rule.apiGroups ?? []).some((g) => g === ALL || g === group);
}

/**
 * `pods` never matches `pods/log`: a subresource must be named (`pods/log`), or matched by `*` or `*∕log`.
 */
function resourceMatches(rule: PolicyRule, resource: string, subresource: string): boolean {
  const combined = subresource ? `${resource}/${subresource}` : resource;
  return (rule.resources ?? []).some(
    (r) => r === ALL || r === combined || (subresource !== '' && r === `${ALL}/${subresource}`),
  );
}

/** An empty resourceNames list means every name; a request without a name (list, create) only matches that. */
function resourceNameMatches(rule: PolicyRule, name: string): boolean {
  const names = rule.resourceNames ?? [];
  return names.length === 0 || names.includes(name);
}

/** Non-resource URLs match exactly, or by prefix when the rule ends in `*` (`/apis/*`). */
function nonResourceUrlMatches(rule: PolicyRule, path: string): boolean {
  return (rule.nonResourceURLs ?? []).some(
    (u) => u === ALL || u === path || (u.endsWith(ALL) && path.startsWith(u.slice(0, -1))),
  );
}

/**
 * True when a binding subject names this user. A ServiceAccount subject without a namespace means the
 * binding's own namespace (so RoleBindings can name local service accounts briefly).
 */
export function subjectMatches(user: UserInfo, subject: Subject, bindingNamespace: string): boolean {
  switch (subject.kind) {
    case 'User':
      return subject.name === user.username;
    case 'Group':
      return user.groups.includes(subject.name);
    case 'ServiceAccount': {
      const namespace = subject.namespace || bindingNamespace;
      const account = parseServiceAccountUsername(user.username);
      return namespace !== '' && account?.namespace === namespace && account.name === subject.name;
    }
    default:
      return false;
  }
}

/** How upstream names a subject in reasons: `Group "system:masters"`, `ServiceAccount "default/ns"`. */
export function describeSubject(subject: Subject, bindingNamespace: string): string {
  const name = subject.kind === 'ServiceAccount' ? `${subject.name}/${subject.namespace || bindingNamespace}` : subject.name;
  return `${subject.kind} ${JSON.stringify(name)}`;
}

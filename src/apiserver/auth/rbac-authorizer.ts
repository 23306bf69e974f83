import type { ClusterRole, ClusterRoleBinding, PolicyRule, Role, RoleBinding, RoleRef, Subject } from 'kubernetes-types/rbac/v1.js';
import type { Attributes, Authorizer, Decision } from './authorizer.ts';
import { effectiveClusterRoleRules } from './cluster-role-aggregation.ts';
import { describeSubject, ruleAllows, subjectMatches } from './rbac-rules.ts';
import { SYSTEM_MASTERS, type UserInfo } from './user-info.ts';

/** Where RBAC objects come from; the API server backs this with (ideally cached) store reads. */
export interface RbacSource {
  clusterRoles(): Promise<ClusterRole[]>;
  clusterRoleBindings(): Promise<ClusterRoleBinding[]>;
  roles(namespace: string): Promise<Role[]>;
  roleBindings(namespace: string): Promise<RoleBinding[]>;
}

/** Every rule that applies to a user in a namespace (cluster-wide rules included), for SelfSubjectRulesReview. */
export interface RuleSet {
  rules: PolicyRule[];
  /** Dangling role references and the like; when non-empty the list may be incomplete. */
  errors: string[];
}

export interface RuleResolver {
  rulesFor(user: UserInfo, namespace: string): Promise<RuleSet>;
}

export type RbacAuthorizer = Authorizer & RuleResolver;

/** One binding that applies to the user, with the rules its role grants and the words to describe it. */
interface AppliedBinding {
  describe: string;
  rules: PolicyRule[];
}

const EVERYTHING: PolicyRule[] = [
  { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
  { verbs: ['*'], nonResourceURLs: ['*'] },
];

/**
 * Creates an authorizer with upstream RBAC semantics: ClusterRoleBindings first, then RoleBindings of the
 * request's namespace; the first rule that allows wins and is named in the reason. Members of
 * `system:masters` are always allowed, as kube-apiserver's privileged-group authorizer does (reason empty).
 * ClusterRoles with an aggregationRule also get the rules of every ClusterRole their selectors match.
 */
export function createRbacAuthorizer(source: RbacSource): RbacAuthorizer {
  return {
    async authorize(attrs: Attributes): Promise<Decision> {
      if (attrs.user.groups.includes(SYSTEM_MASTERS)) return { allowed: true, reason: '' };
      const errors: string[] = [];
      const namespace = attrs.resourceRequest ? (attrs.namespace ?? '') : '';
      for await (const binding of appliedBindings(source, attrs.user, namespace, errors)) {
        if (binding.rules.some((rule) => ruleAllows(attrs, rule))) {
          return { allowed: true, reason: `RBAC: allowed by ${binding.describe}` };
        }
      }
      return { allowed: false, reason: errors.length > 0 ? `RBAC: [${errors.join(', ')}]` : '' };
    },

    async rulesFor(user: UserInfo, namespace: string): Promise<RuleSet> {
      const errors: string[] = [];
      const rules = user.groups.includes(SYSTEM_MASTERS) ? [...EVERYTHING] : [];
      for await (const binding of appliedBindings(source, user, namespace, errors)) rules.push(...binding.rules);
      return { rules, errors };
    },
  };
}

/** Yields the user's bindings lazily so `authorize` stops reading the store at the first allowing rule. */
async function* appliedBindings(source: RbacSource, user: UserInfo, namespace: string, errors: string[]): AsyncGenerator<AppliedBinding> {
  const clusterRoles = effectiveClusterRoleRules(await source.clusterRoles());
  for (const binding of await source.clusterRoleBindings()) {
    const subject = firstMatchingSubject(user, binding.subjects, '');
    if (!subject) continue;
    const rules = binding.roleRef.kind === 'ClusterRole' ? clusterRoles.get(binding.roleRef.name) : undefined;
    if (!rules) {
      errors.push(notFound('clusterrole', binding.roleRef.name));
      continue;
    }
    yield { rules, describe: describeBinding('ClusterRoleBinding', binding.metadata?.name ?? '', binding.roleRef, subject, '') };
  }
  if (!namespace) return;
  const roleBindings = await source.roleBindings(namespace);
  if (roleBindings.length === 0) return;
  const roles = new Map((await source.roles(namespace)).map((r) => [r.metadata?.name ?? '', r.rules ?? []]));
  for (const binding of roleBindings) {
    const subject = firstMatchingSubject(user, binding.subjects, namespace);
    if (!subject) continue;
    const rules = (binding.roleRef.kind === 'Role' ? roles : clusterRoles).get(binding.roleRef.name);
    if (!rules) {
      errors.push(notFound(binding.roleRef.kind.toLowerCase(), binding.roleRef.name));
      continue;
    }
    const name = `${binding.metadata?.name ?? ''}/${namespace}`;
    yield { rules, describe: describeBinding('RoleBinding', name, binding.roleRef, subject, namespace) };
  }
}

function firstMatchingSubject(user: UserInfo, subjects: Subject[] | undefined, namespace: string): Subject | undefined {
  return (subjects ?? []).find((s) => subjectMatches(user, s, namespace));
}

function describeBinding(kind: string, name: string, roleRef: RoleRef, subject: Subject, namespace: string): string {
  return `${kind} ${JSON.stringify(name)} of ${roleRef.kind} ${JSON.stringify(roleRef.name)} to ${describeSubject(subject, namespace)}`;
}

function notFound(kind: string, name: string): string {
  return `${kind}.rbac.authorization.k8s.io ${JSON.stringify(name)} not found`;
}

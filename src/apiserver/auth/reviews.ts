import type { UserInfo as ApiUserInfo } from 'kubernetes-types/authentication/v1.js';
import type {
  LocalSubjectAccessReview,
  NonResourceRule,
  SelfSubjectAccessReview,
  SelfSubjectAccessReviewSpec,
  SelfSubjectRulesReview,
  SubjectAccessReview,
  SubjectAccessReviewStatus,
} from 'kubernetes-types/authorization/v1.js';
import type { PolicyRule } from 'kubernetes-types/rbac/v1.js';
import type { Attributes, Authorizer } from './authorizer.ts';
import type { Authenticator } from './authenticator.ts';
import type { RuleResolver } from './rbac-authorizer.ts';
import { ReviewError } from './review-error.ts';
import type { UserInfo } from './user-info.ts';

/** authorization/v1 ResourceRule (kubernetes-types 1.30 lacks its `verbs` and `resources`). */
export interface ResourceRule {
  verbs: string[];
  apiGroups: string[];
  resources: string[];
  resourceNames?: string[];
}

export interface SubjectRulesReviewStatus {
  resourceRules: ResourceRule[];
  nonResourceRules: NonResourceRule[];
  incomplete: boolean;
  evaluationError?: string;
}

export type AnsweredSelfSubjectRulesReview = Omit<SelfSubjectRulesReview, 'status'> & { status: SubjectRulesReviewStatus };

/** Answers `auth can-i`: may the requesting user do what the spec describes? */
export async function answerSelfSubjectAccessReview(body: SelfSubjectAccessReview, user: UserInfo, authorizer: Authorizer): Promise<SelfSubjectAccessReview> {
  const spec = body.spec ?? {};
  const attrs = attributesFrom('SelfSubjectAccessReview', spec, user);
  return { ...reviewShell(body, 'SelfSubjectAccessReview'), spec, status: await decide(authorizer, attrs) };
}

/** Answers for the user described in the spec (`user`, `groups`, `uid`, `extra`) rather than the requester. */
export async function answerSubjectAccessReview(body: SubjectAccessReview, authorizer: Authorizer): Promise<SubjectAccessReview> {
  const spec = body.spec ?? {};
  const attrs = attributesFrom('SubjectAccessReview', spec, subjectFrom('SubjectAccessReview', spec));
  return { ...reviewShell(body, 'SubjectAccessReview'), spec, status: await decide(authorizer, attrs) };
}

/** The namespaced SubjectAccessReview: only resource checks, and only in the request's namespace. */
export async function answerLocalSubjectAccessReview(namespace: string, body: LocalSubjectAccessReview, authorizer: Authorizer): Promise<LocalSubjectAccessReview> {
  const kind = 'LocalSubjectAccessReview';
  const metaNamespace = body.metadata?.namespace ?? namespace;
  if (metaNamespace !== namespace) throw ReviewError.badRequest(kind, `the namespace of the provided object does not match the namespace sent on the request`);
  const spec = body.spec ?? {};
  if (spec.nonResourceAttributes) throw ReviewError.invalid(kind, 'spec.nonResourceAttributes', 'disallowed on this kind of request');
  const resourceNamespace = spec.resourceAttributes?.namespace || namespace;
  if (resourceNamespace !== namespace) throw ReviewError.invalid(kind, 'spec.resourceAttributes.namespace', 'must match metadata.namespace', resourceNamespace);
  const scoped = { ...spec, resourceAttributes: { ...spec.resourceAttributes, namespace } };
  const attrs = attributesFrom(kind, scoped, subjectFrom(kind, scoped));
  const shell = reviewShell(body, kind);
  return { ...shell, metadata: { ...shell.metadata, namespace }, spec: scoped, status: await decide(authorizer, attrs) };
}

/** Answers `auth can-i --list`: every rule that applies to the requesting user in `spec.namespace`. */
export async function answerSelfSubjectRulesReview(body: SelfSubjectRulesReview, user: UserInfo, resolver: RuleResolver): Promise<AnsweredSelfSubjectRulesReview> {
  const spec = body.spec ?? {};
  const { rules, errors } = await resolver.rulesFor(user, spec.namespace ?? '');
  const status: SubjectRulesReviewStatus = {
    resourceRules: rules.flatMap(resourceRule),
    nonResourceRules: rules.flatMap(nonResourceRule),
    incomplete: errors.length > 0,
  };
  if (errors.length > 0) status.evaluationError = errors.join(', ');
  return { ...reviewShell(body, 'SelfSubjectRulesReview'), spec, status };
}

/** Answers `auth whoami`. */
export function answerSelfSubjectReview(user: UserInfo): Record<string, unknown> {
  return { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview', metadata: { creationTimestamp: null }, status: { userInfo: apiUserInfo(user) } };
}

/** Checks `spec.token` (optionally for `spec.audiences`) the way a webhook authenticator asks. */
export async function answerTokenReview(body: Record<string, unknown>, authenticator: Authenticator): Promise<Record<string, unknown>> {
  const spec = isRecord(body.spec) ? body.spec : {};
  const token = typeof spec.token === 'string' ? spec.token : '';
  if (!token) throw ReviewError.badRequest('TokenReview', 'token is required for TokenReview in authentication');
  const audiences = Array.isArray(spec.audiences) ? spec.audiences.filter((a): a is string => typeof a === 'string') : [];
  const user = await authenticator.authenticateToken(token, audiences.length > 0 ? audiences : undefined);
  const status: Record<string, unknown> = user ? { authenticated: true, user: apiUserInfo(user) } : { authenticated: false };
  if (user && audiences.length > 0) status.audiences = audiences;
  const metadata = isRecord(body.metadata) ? body.metadata : { creationTimestamp: null };
  return { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', metadata, spec, status };
}

function reviewShell<T extends { metadata?: object }>(body: T, kind: string): { apiVersion: 'authorization.k8s.io/v1'; kind: never; metadata: object } {
  return { apiVersion: 'authorization.k8s.io/v1', kind: kind as never, metadata: body.metadata ?? { creationTimestamp: null } };
}

async function decide(authorizer: Authorizer, attrs: Attributes): Promise<SubjectAccessReviewStatus> {
  const decision = await authorizer.authorize(attrs);
  return decision.reason ? { allowed: decision.allowed, reason: decision.reason } : { allowed: decision.allowed };
}

/** Exactly one of resourceAttributes/nonResourceAttributes, as upstream validation insists. */
function attributesFrom(kind: string, spec: SelfSubjectAccessReviewSpec, user: UserInfo): Attributes {
  const resource = spec.resourceAttributes;
  const nonResource = spec.nonResourceAttributes;
  if (!resource === !nonResource) {
    throw ReviewError.invalid(kind, 'spec.resourceAttributes', 'exactly one of nonResourceAttributes or resourceAttributes must be specified');
  }
  if (nonResource) return { user, verb: nonResource.verb ?? '', resourceRequest: false, path: nonResource.path ?? '' };
  return {
    user,
    verb: resource?.verb ?? '',
    resourceRequest: true,
    apiGroup: resource?.group ?? '',
    apiVersion: resource?.version ?? '',
    resource: resource?.resource ?? '',
    subresource: resource?.subresource ?? '',
    namespace: resource?.namespace ?? '',
    name: resource?.name ?? '',
  };
}

function subjectFrom(kind: string, spec: SubjectAccessReview['spec']): UserInfo {
  const groups = spec.groups ?? [];
  if (!spec.user && groups.length === 0) throw ReviewError.invalid(kind, 'spec.user', 'at least one of user or group must be specified');
  const user: UserInfo = { username: spec.user ?? '', groups };
  if (spec.uid) user.uid = spec.uid;
  if (spec.extra) user.extra = spec.extra;
  return user;
}

function resourceRule(rule: PolicyRule): ResourceRule[] {
  if ((rule.resources ?? []).length === 0 && (rule.apiGroups ?? []).length === 0) return [];
  const out: ResourceRule = { verbs: rule.verbs, apiGroups: rule.apiGroups ?? [], resources: rule.resources ?? [] };
  if (rule.resourceNames && rule.resourceNames.length > 0) out.resourceNames = rule.resourceNames;
  return [out];
}

function nonResourceRule(rule: PolicyRule): NonResourceRule[] {
  return (rule.nonResourceURLs ?? []).length > 0 ? [{ verbs: rule.verbs, nonResourceURLs: rule.nonResourceURLs ?? [] }] : [];
}

function apiUserInfo(user: UserInfo): ApiUserInfo {
  const info: ApiUserInfo = { username: user.username, groups: user.groups };
  if (user.uid) info.uid = user.uid;
  if (user.extra && Object.keys(user.extra).length > 0) info.extra = user.extra;
  return info;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

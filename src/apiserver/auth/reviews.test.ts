import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Attributes, Authorizer } from './authorizer.ts';
import type { Authenticator } from './authenticator.ts';
import type { RuleResolver } from './rbac-authorizer.ts';
import { ReviewError } from './review-error.ts';
import {
  answerLocalSubjectAccessReview,
  answerSelfSubjectAccessReview,
  answerSelfSubjectReview,
  answerSelfSubjectRulesReview,
  answerSubjectAccessReview,
  answerTokenReview,
} from './reviews.ts';
import type { UserInfo } from './user-info.ts';

const jane: UserInfo = { username: 'jane', groups: ['dev', 'system:authenticated'] };

/** Allows jane to list pods and records what it was asked. */
function podLister(): Authorizer & { seen: Attributes[] } {
  const seen: Attributes[] = [];
  return {
    seen,
    async authorize(attrs) {
      seen.push(attrs);
      const allowed = attrs.user.username === 'jane' && attrs.verb === 'list' && attrs.resource === 'pods';
      return { allowed, reason: allowed ? 'RBAC: allowed by ClusterRoleBinding "x" of ClusterRole "y" to User "jane"' : '' };
    },
  };
}

void describe('access reviews', () => {
  void it('answers SelfSubjectAccessReview for the requesting user, with upstream reason', async () => {
    const authz = podLister();
    const body = { apiVersion: 'authorization.k8s.io/v1' as const, kind: 'SelfSubjectAccessReview' as const, metadata: {}, spec: { resourceAttributes: { verb: 'list', resource: 'pods', namespace: 'default' } } };
    const answer = await answerSelfSubjectAccessReview(body, jane, authz);
    assert.deepEqual(answer.status, { allowed: true, reason: 'RBAC: allowed by ClusterRoleBinding "x" of ClusterRole "y" to User "jane"' });
    assert.equal(answer.kind, 'SelfSubjectAccessReview');
    assert.deepEqual(answer.spec, body.spec);
    assert.equal(authz.seen[0]?.namespace, 'default');
    const denied = await answerSelfSubjectAccessReview({ spec: { resourceAttributes: { verb: 'delete', resource: 'pods' } } }, jane, authz);
    assert.deepEqual(denied.status, { allowed: false });
  });

  void it('answers non-resource checks', async () => {
    const authz = podLister();
    await answerSelfSubjectAccessReview({ spec: { nonResourceAttributes: { verb: 'get', path: '/healthz' } } }, jane, authz);
    assert.deepEqual(authz.seen[0], { user: jane, verb: 'get', resourceRequest: false, path: '/healthz' });
  });

  void it('insists on exactly one of resource or non-resource attributes', async () => {
    await assert.rejects(answerSelfSubjectAccessReview({ spec: {} }, jane, podLister()), (err: unknown) => err instanceof ReviewError && err.code === 422);
  });

  void it('answers SubjectAccessReview for the user in the spec, not the caller', async () => {
    const authz = podLister();
    const answer = await answerSubjectAccessReview({ spec: { user: 'jane', groups: ['dev'], resourceAttributes: { verb: 'list', resource: 'pods' } } }, authz);
    assert.equal(answer.status?.allowed, true);
    assert.deepEqual(authz.seen[0]?.user, { username: 'jane', groups: ['dev'] });
    await assert.rejects(answerSubjectAccessReview({ spec: { resourceAttributes: { verb: 'list', resource: 'pods' } } }, authz), ReviewError);
  });

  void it('scopes LocalSubjectAccessReview to the request namespace', async () => {
    const authz = podLister();
    const answer = await answerLocalSubjectAccessReview('team', { spec: { user: 'jane', resourceAttributes: { verb: 'list', resource: 'pods' } } }, authz);
    assert.equal(answer.status?.allowed, true);
    assert.equal(answer.metadata?.namespace, 'team');
    assert.equal(authz.seen[0]?.namespace, 'team');
    const elsewhere = { spec: { user: 'jane', resourceAttributes: { verb: 'list', resource: 'pods', namespace: 'other' } } };
    await assert.rejects(answerLocalSubjectAccessReview('team', elsewhere, authz), ReviewError);
  });
});

void describe('rules, whoami and token reviews', () => {
  void it('splits rules into resource and non-resource rules', async () => {
    const resolver: RuleResolver = {
      rulesFor: async () => ({
        rules: [
          { apiGroups: [''], resources: ['pods'], verbs: ['get'], resourceNames: ['a'] },
          { nonResourceURLs: ['/healthz'], verbs: ['get'] },
        ],
        errors: [],
      }),
    };
    const answer = await answerSelfSubjectRulesReview({ spec: { namespace: 'team' } }, jane, resolver);
    assert.deepEqual(answer.status, {
      resourceRules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'], resourceNames: ['a'] }],
      nonResourceRules: [{ verbs: ['get'], nonResourceURLs: ['/healthz'] }],
      incomplete: false,
    });
  });

  void it('reports the caller for SelfSubjectReview', () => {
    assert.deepEqual(answerSelfSubjectReview({ username: 'jane', uid: 'u', groups: ['dev'] }).status, { userInfo: { username: 'jane', uid: 'u', groups: ['dev'] } });
  });

  void it('authenticates TokenReview tokens and requires a token', async () => {
    const authn: Authenticator = {
      authenticate: async () => undefined,
      authenticateToken: async (token) => (token === 'good' ? { username: 'jane', groups: ['system:authenticated'] } : undefined),
    };
    assert.deepEqual((await answerTokenReview({ spec: { token: 'good' } }, authn)).status, { authenticated: true, user: { username: 'jane', groups: ['system:authenticated'] } });
    assert.deepEqual((await answerTokenReview({ spec: { token: 'bad' } }, authn)).status, { authenticated: false });
    await assert.rejects(answerTokenReview({ spec: {} }, authn), (err: unknown) => err instanceof ReviewError && err.code === 400);
  });
});

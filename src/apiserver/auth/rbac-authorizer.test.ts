import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ClusterRole, ClusterRoleBinding, PolicyRule, Role, RoleBinding, Subject } from 'kubernetes-types/rbac/v1.js';
import type { Attributes } from './authorizer.ts';
import { bootstrapRbacObjects } from './bootstrap-policy.ts';
import { createRbacAuthorizer, type RbacSource } from './rbac-authorizer.ts';
import type { UserInfo } from './user-info.ts';

interface Fixture {
  clusterRoles?: ClusterRole[];
  clusterRoleBindings?: ClusterRoleBinding[];
  roles?: Role[];
  roleBindings?: RoleBinding[];
}

function source(f: Fixture): RbacSource {
  return {
    clusterRoles: async () => f.clusterRoles ?? [],
    clusterRoleBindings: async () => f.clusterRoleBindings ?? [],
    roles: async (ns) => (f.roles ?? []).filter((r) => r.metadata?.namespace === ns),
    roleBindings: async (ns) => (f.roleBindings ?? []).filter((r) => r.metadata?.namespace === ns),
  };
}

const clusterRole = (name: string, rules: PolicyRule[], labels?: Record<string, string>): ClusterRole => ({ metadata: { name, labels }, rules });
const role = (ns: string, name: string, rules: PolicyRule[]): Role => ({ metadata: { name, namespace: ns }, rules });
const user = (name: string): Subject => ({ kind: 'User', name, apiGroup: 'rbac.authorization.k8s.io' });
const group = (name: string): Subject => ({ kind: 'Group', name, apiGroup: 'rbac.authorization.k8s.io' });
const clusterBinding = (name: string, roleName: string, subjects: Subject[]): ClusterRoleBinding => ({
  metadata: { name },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleName },
  subjects,
});
const roleBinding = (ns: string, name: string, kind: 'Role' | 'ClusterRole', roleName: string, subjects: Subject[]): RoleBinding => ({
  metadata: { name, namespace: ns },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind, name: roleName },
  subjects,
});

const READ = ['get', 'list', 'watch'];
const jane: UserInfo = { username: 'jane', groups: ['dev', 'system:authenticated'] };
const resource = (u: UserInfo, verb: string, res: string, extra: Partial<Attributes> = {}): Attributes => ({ user: u, verb, resourceRequest: true, apiGroup: '', resource: res, ...extra });
const path = (u: UserInfo, verb: string, p: string): Attributes => ({ user: u, verb, resourceRequest: false, path: p });

void describe('createRbacAuthorizer rule matching', () => {
  const authz = createRbacAuthorizer(
    source({
      clusterRoles: [
        clusterRole('pod-reader', [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }]),
        clusterRole('logs', [{ apiGroups: [''], resources: ['pods/log'], verbs: ['get'] }]),
        clusterRole('any-status', [{ apiGroups: ['*'], resources: ['*/status'], verbs: ['update'] }]),
        clusterRole('one-cm', [{ apiGroups: [''], resources: ['configmaps'], resourceNames: ['settings'], verbs: ['get', 'update'] }]),
        clusterRole('deploy-all', [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['*'] }]),
        clusterRole('urls', [{ nonResourceURLs: ['/healthz', '/metrics/*'], verbs: ['get'] }]),
      ],
      clusterRoleBindings: [
        clusterBinding('readers', 'pod-reader', [group('dev')]),
        clusterBinding('status', 'any-status', [user('jane')]),
        clusterBinding('urls', 'urls', [user('jane')]),
      ],
      roles: [role('team', 'cm', [{ apiGroups: [''], resources: ['secrets'], verbs: ['list'] }])],
      roleBindings: [
        roleBinding('team', 'logs', 'ClusterRole', 'logs', [user('jane')]),
        roleBinding('team', 'cm', 'Role', 'cm', [user('jane')]),
        roleBinding('team', 'one', 'ClusterRole', 'one-cm', [user('jane')]),
        roleBinding('team', 'deploy', 'ClusterRole', 'deploy-all', [group('dev')]),
      ],
    }),
  );
  const cases: [string, Attributes, boolean][] = [
    ['verb granted cluster-wide via group', resource(jane, 'list', 'pods', { namespace: 'x' }), true],
    ['verb not granted', resource(jane, 'delete', 'pods', { namespace: 'x' }), false],
    ['other API group does not match', resource(jane, 'get', 'pods', { apiGroup: 'apps', namespace: 'x' }), false],
    ['resource does not cover its subresource', resource(jane, 'get', 'pods', { subresource: 'log', namespace: 'x' }), false],
    ['subresource granted by RoleBinding in its namespace', resource(jane, 'get', 'pods', { subresource: 'log', namespace: 'team' }), true],
    ['RoleBinding does not reach other namespaces', resource(jane, 'get', 'pods', { subresource: 'log', namespace: 'other' }), false],
    ['RoleBinding does not grant cluster scope', resource(jane, 'get', 'pods', { subresource: 'log' }), false],
    ['*/status matches any status subresource', resource(jane, 'update', 'deployments', { apiGroup: 'apps', subresource: 'status', namespace: 'a' }), true],
    ['*/status does not match the resource itself', resource(jane, 'update', 'deployments', { apiGroup: 'apps', namespace: 'a' }), false],
    ['resourceNames allow the named object', resource(jane, 'get', 'configmaps', { namespace: 'team', name: 'settings' }), true],
    ['resourceNames deny other names', resource(jane, 'get', 'configmaps', { namespace: 'team', name: 'other' }), false],
    ['resourceNames deny unnamed requests (list)', resource(jane, 'list', 'configmaps', { namespace: 'team' }), false],
    ['Role referenced by RoleBinding', resource(jane, 'list', 'secrets', { namespace: 'team' }), true],
    ['verb * in a ClusterRole via RoleBinding', resource(jane, 'deletecollection', 'deployments', { apiGroup: 'apps', namespace: 'team' }), true],
    ['exact non-resource URL', path(jane, 'get', '/healthz'), true],
    ['non-resource URL prefix with *', path(jane, 'get', '/metrics/cadvisor'), true],
    ['non-resource prefix does not match its parent', path(jane, 'get', '/metrics'), false],
    ['non-resource verb must match', path(jane, 'post', '/healthz'), false],
    ['unbound user gets nothing', resource({ username: 'bob', groups: [] }, 'list', 'pods', { namespace: 'x' }), false],
  ];
  for (const [name, attrs, allowed] of cases) {
    void it(name, async () => assert.equal((await authz.authorize(attrs)).allowed, allowed));
  }

  void it('names the binding, role and subject in the reason, as upstream does', async () => {
    assert.equal((await authz.authorize(resource(jane, 'list', 'pods'))).reason, 'RBAC: allowed by ClusterRoleBinding "readers" of ClusterRole "pod-reader" to Group "dev"');
    assert.equal(
      (await authz.authorize(resource(jane, 'list', 'secrets', { namespace: 'team' }))).reason,
      'RBAC: allowed by RoleBinding "cm/team" of Role "cm" to User "jane"',
    );
    assert.equal((await authz.authorize(resource(jane, 'delete', 'pods'))).reason, '');
  });
});

void describe('createRbacAuthorizer subjects and special cases', () => {
  const sa: UserInfo = { username: 'system:serviceaccount:team:builder', groups: ['system:serviceaccounts', 'system:serviceaccounts:team'] };
  const readPods = clusterRole('read', [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }]);

  void it('matches ServiceAccount subjects, defaulting their namespace to the RoleBinding namespace', async () => {
    const authz = createRbacAuthorizer(
      source({ clusterRoles: [readPods], roleBindings: [roleBinding('team', 'b', 'ClusterRole', 'read', [{ kind: 'ServiceAccount', name: 'builder' }])] }),
    );
    const decision = await authz.authorize(resource(sa, 'get', 'pods', { namespace: 'team' }));
    assert.deepEqual(decision, { allowed: true, reason: 'RBAC: allowed by RoleBinding "b/team" of ClusterRole "read" to ServiceAccount "builder/team"' });
    const otherSa = { ...sa, username: 'system:serviceaccount:other:builder' };
    assert.equal((await authz.authorize(resource(otherSa, 'get', 'pods', { namespace: 'team' }))).allowed, false);
  });

  void it('ignores a ServiceAccount subject without namespace in a ClusterRoleBinding', async () => {
    const authz = createRbacAuthorizer(source({ clusterRoles: [readPods], clusterRoleBindings: [clusterBinding('b', 'read', [{ kind: 'ServiceAccount', name: 'builder' }])] }));
    assert.equal((await authz.authorize(resource(sa, 'get', 'pods', { namespace: 'team' }))).allowed, false);
  });

  void it('always allows system:masters, with an empty reason', async () => {
    const authz = createRbacAuthorizer(source({}));
    assert.deepEqual(await authz.authorize(resource({ username: 'admin', groups: ['system:masters'] }, 'delete', 'nodes')), { allowed: true, reason: '' });
  });

  void it('reports dangling role references in the denial reason', async () => {
    const authz = createRbacAuthorizer(source({ clusterRoleBindings: [clusterBinding('b', 'gone', [user('jane')])] }));
    assert.deepEqual(await authz.authorize(resource(jane, 'get', 'pods')), { allowed: false, reason: 'RBAC: [clusterrole.rbac.authorization.k8s.io "gone" not found]' });
  });

  void it('folds aggregated ClusterRoles into a role with an aggregationRule', async () => {
    const aggregate: ClusterRole = {
      metadata: { name: 'monitoring' },
      aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'example.com/aggregate-to-monitoring': 'true' } }] },
    };
    const part = clusterRole('metrics', [{ apiGroups: ['metrics.k8s.io'], resources: ['pods'], verbs: ['list'] }], { 'example.com/aggregate-to-monitoring': 'true' });
    const authz = createRbacAuthorizer(source({ clusterRoles: [aggregate, part], clusterRoleBindings: [clusterBinding('m', 'monitoring', [user('jane')])] }));
    assert.equal((await authz.authorize(resource(jane, 'list', 'pods', { apiGroup: 'metrics.k8s.io' }))).allowed, true);
  });

  void it('lists the rules that apply in a namespace', async () => {
    const authz = createRbacAuthorizer(
      source({
        clusterRoles: [readPods],
        clusterRoleBindings: [clusterBinding('c', 'read', [group('dev')])],
        roles: [role('team', 'r', [{ apiGroups: [''], resources: ['secrets'], verbs: ['list'] }])],
        roleBindings: [roleBinding('team', 'rb', 'Role', 'r', [user('jane')])],
      }),
    );
    const { rules, errors } = await authz.rulesFor(jane, 'team');
    assert.deepEqual(rules.map((r) => r.resources), [['pods'], ['secrets']]);
    assert.deepEqual(errors, []);
    assert.deepEqual((await authz.rulesFor(jane, 'elsewhere')).rules.length, 1);
  });
});

void describe('bootstrap policy through the authorizer', () => {
  const objects = bootstrapRbacObjects();
  const authz = createRbacAuthorizer(
    source({
      clusterRoles: [
        ...(objects.filter((o) => o.kind === 'ClusterRole') as unknown as ClusterRole[]),
        clusterRole('crontabs-view', [{ apiGroups: ['stable.example.com'], resources: ['crontabs'], verbs: READ }], { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' }),
      ],
      clusterRoleBindings: objects.filter((o) => o.kind === 'ClusterRoleBinding') as unknown as ClusterRoleBinding[],
      roleBindings: [
        roleBinding('team', 'viewers', 'ClusterRole', 'view', [user('viewer')]),
        roleBinding('team', 'editors', 'ClusterRole', 'edit', [user('editor')]),
        roleBinding('team', 'admins', 'ClusterRole', 'admin', [user('owner')]),
      ],
    }),
  );
  const authed = (name: string): UserInfo => ({ username: name, groups: ['system:authenticated'] });
  const anonymous: UserInfo = { username: 'system:anonymous', groups: ['system:unauthenticated'] };
  const cases: [string, Attributes, boolean][] = [
    ['authenticated users discover APIs', path(authed('x'), 'get', '/apis/apps/v1'), true],
    ['anonymous users do not discover APIs', path(anonymous, 'get', '/apis'), false],
    ['anonymous users read /version', path(anonymous, 'get', '/version'), true],
    ['authenticated users ask can-i', resource(authed('x'), 'create', 'selfsubjectaccessreviews', { apiGroup: 'authorization.k8s.io' }), true],
    ['authenticated users ask whoami', resource(authed('x'), 'create', 'selfsubjectreviews', { apiGroup: 'authentication.k8s.io' }), true],
    ['view reads deployments', resource(authed('viewer'), 'list', 'deployments', { apiGroup: 'apps', namespace: 'team' }), true],
    ['view reads pod logs', resource(authed('viewer'), 'get', 'pods', { subresource: 'log', namespace: 'team' }), true],
    ['view cannot read secrets', resource(authed('viewer'), 'get', 'secrets', { namespace: 'team' }), false],
    ['view cannot write', resource(authed('viewer'), 'create', 'pods', { namespace: 'team' }), false],
    ['edit writes deployments', resource(authed('editor'), 'patch', 'deployments', { apiGroup: 'apps', namespace: 'team' }), true],
    ['edit scales deployments', resource(authed('editor'), 'update', 'deployments', { apiGroup: 'apps', subresource: 'scale', namespace: 'team' }), true],
    ['edit execs into pods', resource(authed('editor'), 'create', 'pods', { subresource: 'exec', namespace: 'team' }), true],
    ['edit reads secrets', resource(authed('editor'), 'get', 'secrets', { namespace: 'team' }), true],
    ['edit cannot grant roles', resource(authed('editor'), 'create', 'rolebindings', { apiGroup: 'rbac.authorization.k8s.io', namespace: 'team' }), false],
    ['admin grants roles', resource(authed('owner'), 'create', 'rolebindings', { apiGroup: 'rbac.authorization.k8s.io', namespace: 'team' }), true],
    ['admin is namespaced', resource(authed('owner'), 'create', 'pods', { namespace: 'other' }), false],
    ['a role labelled aggregate-to-view extends view', resource(authed('viewer'), 'list', 'crontabs', { apiGroup: 'stable.example.com', namespace: 'team' }), true],
    ['... and through view, edit and admin', resource(authed('owner'), 'watch', 'crontabs', { apiGroup: 'stable.example.com', namespace: 'team' }), true],
    ['system:masters has cluster-admin', resource({ username: 'root', groups: ['system:masters'] }, 'delete', 'nodes'), true],
  ];
  for (const [name, attrs, allowed] of cases) {
    void it(name, async () => assert.equal((await authz.authorize(attrs)).allowed, allowed));
  }

  void it('labels and annotates every default object', () => {
    for (const object of objects) {
      assert.equal(object.metadata?.labels?.['kubernetes.io/bootstrapping'], 'rbac-defaults');
      assert.equal(object.metadata?.annotations?.['rbac.authorization.kubernetes.io/autoupdate'], 'true');
    }
  });
});

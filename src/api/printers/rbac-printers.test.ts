import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clusterRoleBindingPrinter, roleBindingPrinter } from './rbac-printers.ts';
import { NOW, dur, headers, object } from './test-builders.ts';

test('rolebinding: ROLE kind/name and wide subjects', () => {
  assert.deepEqual(headers(roleBindingPrinter), { normal: ['NAME', 'ROLE', 'AGE'], wide: ['USERS', 'GROUPS', 'SERVICEACCOUNTS'] });
  const rb = object('rbac.authorization.k8s.io/v1', 'RoleBinding', 'read', dur({ h: 30 }), {
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
    subjects: [
      { kind: 'User', name: 'alice' },
      { kind: 'User', name: 'bob' },
      { kind: 'Group', name: 'devs' },
      { kind: 'ServiceAccount', name: 'ci', namespace: 'tools' },
    ],
  });
  assert.deepEqual(roleBindingPrinter.cells(rb, NOW), ['read', 'ClusterRole/view', '30h', 'alice, bob', 'devs', 'tools/ci']);
  const crb = object('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', 'admin', 0, { roleRef: { kind: 'ClusterRole', name: 'cluster-admin' } });
  assert.deepEqual(clusterRoleBindingPrinter.cells(crb, NOW), ['admin', 'ClusterRole/cluster-admin', '0s', '', '', '']);
  assert.equal(clusterRoleBindingPrinter.columns[3]?.description, 'Users in the clusterRoleBinding');
});

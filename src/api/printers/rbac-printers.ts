import type { ClusterRoleBinding, RoleBinding, Subject } from 'kubernetes-types/rbac/v1.js';
import type { TablePrinter } from '../resource-definition.ts';
import { ageColumn, column, nameColumn, wideColumn } from './columns.ts';
import { ageOf, asKind, nameOf } from './format.ts';

/** Users, groups and `namespace/name` service accounts, each joined with `, `. */
function subjectCells(subjects: Subject[] | undefined): [string, string, string] {
  const users: string[] = [];
  const groups: string[] = [];
  const serviceAccounts: string[] = [];
  for (const s of subjects ?? []) {
    if (s.kind === 'User') users.push(s.name);
    else if (s.kind === 'Group') groups.push(s.name);
    else if (s.kind === 'ServiceAccount') serviceAccounts.push(`${s.namespace ?? ''}/${s.name}`);
  }
  return [users.join(', '), groups.join(', '), serviceAccounts.join(', ')];
}

function bindingPrinter(noun: string): TablePrinter {
  return {
    columns: [
      nameColumn(),
      column('Role', 'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace.'),
      ageColumn(),
      wideColumn('Users', `Users in the ${noun}`),
      wideColumn('Groups', `Groups in the ${noun}`),
      wideColumn('ServiceAccounts', `ServiceAccounts in the ${noun}`),
    ],
    cells(obj, now) {
      const binding = asKind<RoleBinding | ClusterRoleBinding>(obj);
      const role = `${binding.roleRef?.kind ?? ''}/${binding.roleRef?.name ?? ''}`;
      return [nameOf(binding), role, ageOf(binding, now), ...subjectCells(binding.subjects)];
    },
  };
}

/** RoleBindings: NAME ROLE AGE, wide USERS GROUPS SERVICEACCOUNTS. Roles themselves use the default printer, as upstream. */
export const roleBindingPrinter = bindingPrinter('roleBinding');

/** ClusterRoleBindings: NAME ROLE AGE, wide USERS GROUPS SERVICEACCOUNTS. */
export const clusterRoleBindingPrinter = bindingPrinter('clusterRoleBinding');

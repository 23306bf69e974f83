import type { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from 'kubernetes-types/rbac/v1.js';
import type { ResourceDefinition } from '../../api/resource-definition.ts';
import type { ApiContext } from '../api-context.ts';
import type { RbacSource } from './rbac-authorizer.ts';

/** RBAC objects read straight from the server's own store (the authorizer is part of the API server). */
export function storeRbacSource(ctx: ApiContext): RbacSource {
  const res = (plural: string) => ctx.catalog().find('rbac.authorization.k8s.io', 'v1', plural) as ResourceDefinition;
  const list = async <T>(plural: string, namespace?: string): Promise<T[]> => (await ctx.objects.list(res(plural), { namespace })).items as unknown as T[];
  return {
    clusterRoles: () => list<ClusterRole>('clusterroles'),
    clusterRoleBindings: () => list<ClusterRoleBinding>('clusterrolebindings'),
    roles: (ns: string) => list<Role>('roles', ns),
    roleBindings: (ns: string) => list<RoleBinding>('rolebindings', ns),
  };
}

import type { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from 'kubernetes-types/rbac/v1.js';
import type { ResourceDefinition } from '../../api/resource-definition.ts';
import type { ApiContext } from '../api-context.ts';
import type { RbacSource } from './rbac-authorizer.ts';

const GROUP = 'rbac.authorization.k8s.io';

/**
 * RBAC objects as the API server itself holds them: its in-memory caches when it has them (every
 * request is authorized, so this is hot), else straight from its own store.
 */
export function storeRbacSource(ctx: ApiContext): RbacSource {
  const list = async <T>(plural: string, namespace?: string): Promise<T[]> => {
    const cache = ctx.cache?.(GROUP, plural);
    if (cache) return cache.list(namespace) as unknown as T[];
    const r = ctx.catalog().find(GROUP, 'v1', plural) as ResourceDefinition;
    return (await ctx.objects.list(r, { namespace })).items as unknown as T[];
  };
  return {
    clusterRoles: () => list<ClusterRole>('clusterroles'),
    clusterRoleBindings: () => list<ClusterRoleBinding>('clusterrolebindings'),
    roles: (ns: string) => list<Role>('roles', ns),
    roleBindings: (ns: string) => list<RoleBinding>('rolebindings', ns),
  };
}

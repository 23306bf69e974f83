import type { ResourceDefinition } from '../../api/resource-definition.ts';

/**
 * Store keys: `/registry/<group or core>/<plural>/<namespace>/<name>` for namespaced resources and
 * `/registry/<group or core>/<plural>/<name>` for cluster-scoped ones (one key space per resource,
 * shared by every served version of it).
 */
export function resourcePrefix(r: Pick<ResourceDefinition, 'group' | 'plural'>): string {
  return `/registry/${r.group === '' ? 'core' : r.group}/${r.plural}/`;
}

export function objectKey(r: Pick<ResourceDefinition, 'group' | 'plural' | 'namespaced'>, namespace: string | undefined, name: string): string {
  return r.namespaced ? `${resourcePrefix(r)}${namespace}/${name}` : `${resourcePrefix(r)}${name}`;
}

/** Prefix for a list: one namespace, or all of them when namespace is undefined. */
export function listPrefix(r: Pick<ResourceDefinition, 'group' | 'plural' | 'namespaced'>, namespace: string | undefined): string {
  return r.namespaced && namespace ? `${resourcePrefix(r)}${namespace}/` : resourcePrefix(r);
}

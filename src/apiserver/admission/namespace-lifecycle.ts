import type { ResourceDefinition } from '../../api/resource-definition.ts';
import type { KubeObject } from '../../api/types.ts';
import type { ApiContext } from '../api-context.ts';
import { forbidden, notFound } from '../status-error.ts';

const IMMORTAL = new Set(['default', 'kube-system', 'kube-public']);

/** No creates in a missing or terminating namespace (upstream NamespaceLifecycle). */
export async function admitNamespaceLifecycle(ctx: ApiContext, r: ResourceDefinition, obj: KubeObject): Promise<void> {
  if (!r.namespaced) return;
  const ns = obj.metadata?.namespace ?? '';
  const namespaces = ctx.catalog().find('', 'v1', 'namespaces');
  if (!namespaces) return;
  const found = ctx.cache?.('', 'namespaces')?.get(undefined, ns) ?? (await ctx.objects.tryGet(namespaces, undefined, ns));
  if (!found) throw notFound('', 'namespaces', ns);
  if ((found.status as { phase?: string } | undefined)?.phase === 'Terminating' || found.metadata?.deletionTimestamp) {
    const qualified = r.group === '' ? r.plural : `${r.plural}.${r.group}`;
    throw forbidden(`${qualified} "${obj.metadata?.name ?? ''}" is forbidden: unable to create new content in namespace ${ns} because it is being terminated`, {
      name: obj.metadata?.name,
      group: r.group,
      kind: r.plural,
      causes: [{ reason: 'NamespaceTerminating', message: `namespace ${ns} is being terminated`, field: 'metadata.namespace' }],
    });
  }
}

/** Namespaces the server keeps: deleting them is forbidden. */
export function isImmortalNamespace(name: string): boolean {
  return IMMORTAL.has(name);
}

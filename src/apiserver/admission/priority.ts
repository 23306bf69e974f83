import type { ResourceDefinition } from '../../api/resource-definition.ts';
import type { KubeObject } from '../../api/types.ts';
import type { ApiContext } from '../api-context.ts';
import { forbidden } from '../status-error.ts';

interface PriorityClassLike {
  metadata?: { name?: string };
  value?: number;
  globalDefault?: boolean;
  preemptionPolicy?: string;
}

/** The classes every cluster has, as kube-apiserver creates them. */
export const SYSTEM_PRIORITY_CLASSES = [
  { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'system-node-critical' }, value: 2000001000, description: 'Used for system critical pods that must not be moved from their current node.', preemptionPolicy: 'PreemptLowerPriority' },
  { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'system-cluster-critical' }, value: 2000000000, description: 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.', preemptionPolicy: 'PreemptLowerPriority' },
];

/**
 * Priority admission: a pod's `spec.priority` comes from its PriorityClass (or the global default,
 * else 0); naming a class that does not exist is refused, as upstream does.
 */
export async function admitPriority(ctx: ApiContext, r: ResourceDefinition, obj: KubeObject): Promise<void> {
  if (r.group !== '' || r.kind !== 'Pod') return;
  const classes = ctx.catalog().find('scheduling.k8s.io', 'v1', 'priorityclasses');
  if (!classes) return;
  const spec = (obj.spec ??= {}) as { priorityClassName?: string; priority?: number; preemptionPolicy?: string };
  let chosen: PriorityClassLike | undefined;
  if (spec.priorityClassName) {
    const cached = ctx.cache?.('scheduling.k8s.io', 'priorityclasses');
    chosen = (cached ? cached.get(undefined, spec.priorityClassName) : await ctx.objects.tryGet(classes, undefined, spec.priorityClassName)) as PriorityClassLike | undefined;
    if (!chosen) throw forbidden(`pods "${obj.metadata?.name ?? ''}" is forbidden: no PriorityClass with name ${spec.priorityClassName} was found`, { name: obj.metadata?.name, kind: 'pods' });
  } else {
    const cached = ctx.cache?.('scheduling.k8s.io', 'priorityclasses');
    const all = (cached ? cached.list() : (await ctx.objects.list(classes, {})).items) as PriorityClassLike[];
    chosen = all.filter((c) => c.globalDefault).sort((a, b) => (a.value ?? 0) - (b.value ?? 0))[0];
    if (chosen) spec.priorityClassName = chosen.metadata?.name;
  }
  spec.priority = chosen?.value ?? 0;
  spec.preemptionPolicy ??= chosen?.preemptionPolicy ?? 'PreemptLowerPriority';
}

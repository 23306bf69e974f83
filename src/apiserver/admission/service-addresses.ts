import type { ResourceDefinition } from '../../api/resource-definition.ts';
import type { KubeObject } from '../../api/types.ts';
import type { ApiContext } from '../api-context.ts';
import type { WriteOptions } from '../handlers/write-options.ts';
import { allocateServiceAddresses } from '../lifecycle/service-allocator.ts';

type Spec = { type?: string; clusterIP?: string; clusterIPs?: string[]; externalTrafficPolicy?: string; healthCheckNodePort?: number; ports?: Array<{ nodePort?: number; port?: number; name?: string }> };

/** ClusterIP and NodePort allocation for Services, serialised so concurrent creates never collide. */
export async function admitServiceAddresses(ctx: ApiContext, r: ResourceDefinition, obj: KubeObject, old: KubeObject | undefined, _opts: WriteOptions): Promise<void> {
  if (r.group !== '' || r.kind !== 'Service') return;
  const spec = (obj.spec ?? {}) as Spec;
  if (old) {
    const prev = (old.spec ?? {}) as Spec;
    // Keep addresses across updates: an apply that omits clusterIP must not reallocate it.
    if (!spec.clusterIP && prev.clusterIP && spec.type !== 'ExternalName') {
      spec.clusterIP = prev.clusterIP;
      spec.clusterIPs = prev.clusterIPs;
    }
    for (const p of spec.ports ?? []) {
      if (p.nodePort) continue;
      const before = (prev.ports ?? []).find((q) => q.port === p.port && q.name === p.name);
      if (before?.nodePort && (spec.type === 'NodePort' || spec.type === 'LoadBalancer')) p.nodePort = before.nodePort;
    }
    const localLb = spec.type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local';
    if (localLb && !spec.healthCheckNodePort && prev.healthCheckNodePort) spec.healthCheckNodePort = prev.healthCheckNodePort;
    const needsPorts = (spec.type === 'NodePort' || spec.type === 'LoadBalancer') && (spec.ports ?? []).some((p) => !p.nodePort);
    const healthPortChanges = localLb ? spec.healthCheckNodePort !== prev.healthCheckNodePort || !spec.healthCheckNodePort : spec.healthCheckNodePort !== undefined;
    if (spec.clusterIP && !needsPorts && !healthPortChanges) return;
  }
  await ctx.serialize('service-allocation', async () => {
    const existing = (await ctx.objects.list(r, {})).items.filter((s) => s.metadata?.uid !== obj.metadata?.uid);
    allocateServiceAddresses(obj, existing, ctx.services);
  });
}

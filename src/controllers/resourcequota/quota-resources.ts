import { quotaNameApplies, type QuotaResource } from '../../api/quota/resource-usage.ts';
import type { KubeClient } from '../../client/kube-client.ts';
import { R, type ResourceRef } from '../../client/resource-ref.ts';

/** Resources whose usage the controller reads from shared informers (every other count is listed). */
export const INFORMED: ResourceRef[] = [R.pods, R.services, R.persistentvolumeclaims, R.configmaps, R.secrets, R.resourcequotas, R.replicationcontrollers];

/** Which resource a quota name counts (`requests.cpu` → pods, `count/jobs.batch` → jobs.batch). */
export function resourceOfName(name: string): QuotaResource | undefined {
  if (name.startsWith('count/')) {
    const rest = name.slice('count/'.length);
    const dot = rest.indexOf('.');
    return dot < 0 ? { group: '', resource: rest } : { group: rest.slice(dot + 1), resource: rest.slice(0, dot) };
  }
  // Claims first: `requests.storage` would otherwise read as a pod request.
  for (const r of [R.persistentvolumeclaims, R.services, R.pods, R.configmaps, R.secrets, R.resourcequotas, R.replicationcontrollers]) {
    const res = { group: r.group, resource: r.resource };
    if (quotaNameApplies(res, name)) return res;
  }
  return undefined;
}

/**
 * Resolves group + plural to a client reference (built-ins directly, others through discovery's
 * preferred version), caching answers for the controller's lifetime.
 */
export class ResourceResolver {
  private readonly cache = new Map<string, ResourceRef>();

  constructor(private readonly client: KubeClient) {}

  async resolve(res: QuotaResource): Promise<ResourceRef | undefined> {
    const key = `${res.group}/${res.resource}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const known = Object.values(R).find((r) => r.group === res.group && r.resource === res.resource);
    const ref = known ?? (await this.discover(res));
    // Unknown resources are asked again next time: their CRD may not exist yet.
    if (ref) this.cache.set(key, ref);
    return ref;
  }

  private async discover(res: QuotaResource): Promise<ResourceRef | undefined> {
    const path = res.group === '' ? '/api/v1' : undefined;
    try {
      let groupVersion = 'v1';
      if (!path) {
        const group = await this.client.getPath<{ preferredVersion?: { version?: string } }>(`/apis/${res.group}`);
        groupVersion = group.preferredVersion?.version ?? '';
      }
      const list = await this.client.getPath<{ resources?: Array<{ name: string; kind: string; namespaced: boolean }> }>(path ?? `/apis/${res.group}/${groupVersion}`);
      const found = list.resources?.find((r) => r.name === res.resource);
      return found ? { group: res.group, version: groupVersion, resource: res.resource, kind: found.kind, namespaced: found.namespaced } : undefined;
    } catch {
      return undefined;
    }
  }
}

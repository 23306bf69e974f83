import type { CrossVersionObjectReference } from 'kubernetes-types/autoscaling/v2.js';
import { parseApiVersion } from '../../api/types.ts';
import type { KubeClient } from '../../client/kube-client.ts';
import { R, resourcePath, type ResourceRef } from '../../client/resource-ref.ts';

/** autoscaling/v1 Scale as the `/scale` subresource serves it. */
export interface Scale {
  spec?: { replicas?: number };
  status?: { replicas?: number; selector?: string };
}

/** Reads and writes a scale target's `/scale` subresource, resolving its kind to a resource once. */
export class ScaleTargets {
  private readonly refs = new Map<string, ResourceRef>();

  constructor(private readonly client: KubeClient) {}

  async get(namespace: string, target: CrossVersionObjectReference): Promise<Scale> {
    const ref = await this.resolve(target);
    return this.client.getPath<Scale>(resourcePath(ref, namespace, target.name, 'scale'));
  }

  async setReplicas(namespace: string, target: CrossVersionObjectReference, replicas: number): Promise<void> {
    await this.client.patch(await this.resolve(target), namespace, target.name, 'merge', { spec: { replicas } }, { subresource: 'scale' });
  }

  private async resolve(target: CrossVersionObjectReference): Promise<ResourceRef> {
    const key = `${target.apiVersion ?? ''}/${target.kind}`;
    const cached = this.refs.get(key);
    if (cached) return cached;
    const { group, version } = parseApiVersion(target.apiVersion ?? 'v1');
    const known = Object.values(R).find((r) => r.group === group && r.version === version && r.kind === target.kind);
    const ref = known ?? (await this.discover(group, version, target.kind));
    this.refs.set(key, ref);
    return ref;
  }

  private async discover(group: string, version: string, kind: string): Promise<ResourceRef> {
    const list = await this.client.getPath<{ resources?: Array<{ name: string; kind: string; namespaced: boolean }> }>(group === '' ? `/api/${version}` : `/apis/${group}/${version}`);
    const found = list.resources?.find((r) => r.kind === kind && !r.name.includes('/'));
    if (!found) throw new Error(`no matches for kind "${kind}" in group "${group}"`);
    return { group, version, resource: found.name, kind, namespaced: found.namespaced };
  }
}

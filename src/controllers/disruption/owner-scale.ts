import type { Deployment, ReplicaSet, StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { Pod, ReplicationController } from 'kubernetes-types/core/v1.js';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import { parseApiVersion } from '../../api/types.ts';
import type { KubeClient } from '../../client/kube-client.ts';
import { R, resourcePath, type ResourceRef } from '../../client/resource-ref.ts';
import type { SharedInformers } from '../../client/shared-informers.ts';

/** The pods' combined controller scale, and the pods that have no controller at all. */
export interface ControllerScale {
  scale: number;
  unmanaged: string[];
}

type Scaled = { spec?: { replicas?: number } };

/**
 * Sums `spec.replicas` over the distinct controllers of `pods` (a ReplicaSet owned by a Deployment
 * counts as the Deployment), reading built-in workloads from informers and anything else through
 * its `/scale` subresource. Throws when a controller is missing.
 */
export async function controllerScale(pods: Pod[], informers: SharedInformers, client: KubeClient): Promise<ControllerScale> {
  const owners = new Set<string>();
  // Keyed by the scaled object's uid, so the ReplicaSets of one Deployment count it once.
  const scales = new Map<string, number>();
  const unmanaged: string[] = [];
  for (const pod of pods) {
    const owner = pod.metadata?.ownerReferences?.find((o) => o.controller);
    if (!owner) {
      unmanaged.push(pod.metadata?.name ?? '');
      continue;
    }
    if (owners.has(owner.uid)) continue;
    owners.add(owner.uid);
    const resolved = await scaleOf(owner, pod.metadata?.namespace ?? '', informers, client);
    scales.set(resolved.uid, resolved.replicas);
  }
  return { scale: [...scales.values()].reduce((a, b) => a + b, 0), unmanaged };
}

async function scaleOf(owner: OwnerReference, namespace: string, informers: SharedInformers, client: KubeClient): Promise<{ uid: string; replicas: number }> {
  const key = `${namespace}/${owner.name}`;
  const group = parseApiVersion(owner.apiVersion).group;
  const found = (o: (Scaled & { metadata?: { uid?: string } }) | undefined) => {
    if (!o || o.metadata?.uid !== owner.uid) throw new Error(`${owner.kind.toLowerCase()}s "${owner.name}" not found`);
    return { uid: owner.uid, replicas: o.spec?.replicas ?? 1 };
  };
  if (group === 'apps' && owner.kind === 'ReplicaSet') {
    const rs = informers.for<ReplicaSet>(R.replicasets).get(key);
    const deploymentRef = rs?.metadata?.ownerReferences?.find((o) => o.controller && o.kind === 'Deployment');
    if (deploymentRef) {
      const d = informers.for<Deployment>(R.deployments).get(`${namespace}/${deploymentRef.name}`);
      if (d?.metadata?.uid === deploymentRef.uid) return { uid: deploymentRef.uid, replicas: d.spec?.replicas ?? 1 };
    }
    return found(rs);
  }
  if (group === 'apps' && owner.kind === 'StatefulSet') return found(informers.for<StatefulSet>(R.statefulsets).get(key));
  if (group === '' && owner.kind === 'ReplicationController') return found(informers.for<ReplicationController>(R.replicationcontrollers).get(key));
  const ref = await resourceForKind(client, owner);
  const scale = await client.getPath<{ spec?: { replicas?: number } }>(resourcePath(ref, namespace, owner.name, 'scale'));
  return { uid: owner.uid, replicas: scale.spec?.replicas ?? 0 };
}

/** Finds a kind's plural through discovery (custom controllers that implement `/scale`). */
async function resourceForKind(client: KubeClient, owner: OwnerReference): Promise<ResourceRef> {
  const { group, version } = parseApiVersion(owner.apiVersion);
  const path = group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
  const list = await client.getPath<{ resources?: Array<{ name: string; kind: string; namespaced: boolean }> }>(path);
  const found = list.resources?.find((r) => r.kind === owner.kind && !r.name.includes('/'));
  if (!found) throw new Error(`no resource for kind ${owner.kind} in ${owner.apiVersion}`);
  return { group, version, resource: found.name, kind: owner.kind, namespaced: found.namespaced };
}

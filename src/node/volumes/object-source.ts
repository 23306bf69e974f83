/** How volumes and env vars read ConfigMaps, Secrets and claims: through the API, missing = undefined. */
import type { ConfigMap, PersistentVolume, PersistentVolumeClaim, Secret } from 'kubernetes-types/core/v1.js';
import { isNotFound } from '../../client/api-error.ts';
import type { KubeClient } from '../../client/kube-client.ts';
import { R, type ResourceRef } from '../../client/resource-ref.ts';

/** Read access to the objects a pod references. */
export interface PodObjectSource {
  configMap(namespace: string, name: string): Promise<ConfigMap | undefined>;
  secret(namespace: string, name: string): Promise<Secret | undefined>;
  claim(namespace: string, name: string): Promise<PersistentVolumeClaim | undefined>;
  volume(name: string): Promise<PersistentVolume | undefined>;
}

async function getOrUndefined<T>(client: KubeClient, r: ResourceRef, namespace: string | undefined, name: string): Promise<T | undefined> {
  try {
    return await client.get<T>(r, namespace, name);
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

/** A {@link PodObjectSource} that GETs every object from the API server. */
export function apiObjectSource(client: KubeClient): PodObjectSource {
  return {
    configMap: (ns, name) => getOrUndefined<ConfigMap>(client, R.configmaps, ns, name),
    secret: (ns, name) => getOrUndefined<Secret>(client, R.secrets, ns, name),
    claim: (ns, name) => getOrUndefined<PersistentVolumeClaim>(client, R.persistentvolumeclaims, ns, name),
    volume: (name) => getOrUndefined<PersistentVolume>(client, R.persistentvolumes, undefined, name),
  };
}

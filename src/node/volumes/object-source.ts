/** How volumes and env vars read ConfigMaps, Secrets and claims: through the API, missing = undefined. */
import type { ConfigMap, PersistentVolume, PersistentVolumeClaim, Secret } from 'kubernetes-types/core/v1.js';
import { isNotFound } from '../../client/api-error.ts';
import type { KubeClient } from '../../client/kube-client.ts';
import { R, type ResourceRef } from '../../client/resource-ref.ts';
import type { Clock } from '../../client/clock.ts';

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

/**
 * Shares ConfigMap and Secret reads between pods for `ttlMs` (the kubelet's TTL cache strategy):
 * every pod's token volume reads the same `kube-root-ca.crt`, and volumes are refreshed every few
 * seconds, so without sharing a node with 100 pods GETs it 10 times a second. Concurrent reads of
 * one object wait for the same request. Claims and volumes are read fresh: binding changes matter.
 */
export function sharedObjectSource(source: PodObjectSource, clock: Clock, ttlMs: number): PodObjectSource {
  const entries = new Map<string, { at: number; value: Promise<unknown> }>();
  function read<T>(key: string, fetch: () => Promise<T | undefined>): Promise<T | undefined> {
    const now = clock.now().getTime();
    const hit = entries.get(key);
    if (hit && now - hit.at < ttlMs) return hit.value as Promise<T | undefined>;
    const value = fetch();
    entries.set(key, { at: now, value });
    value.catch(() => entries.delete(key)); // errors are not remembered
    return value;
  }
  return {
    configMap: (ns, name) => read(`cm/${ns}/${name}`, () => source.configMap(ns, name)),
    secret: (ns, name) => read(`secret/${ns}/${name}`, () => source.secret(ns, name)),
    claim: (ns, name) => source.claim(ns, name),
    volume: (name) => source.volume(name),
  };
}

/**
 * The service-account volume every pod gets by default (what upstream's ServiceAccount admission
 * adds as `kube-api-access-*`): token, ca.crt and namespace at
 * `/var/run/secrets/kubernetes.io/serviceaccount`. Minato's API server does not inject it, so
 * the agent does, unless the pod or its service account opts out.
 */
import type { Pod, ProjectedVolumeSource, VolumeMount } from 'kubernetes-types/core/v1.js';

export const SERVICE_ACCOUNT_VOLUME = 'kube-api-access-minato';
export const SERVICE_ACCOUNT_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';

/** The projected source of the default volume, or undefined when the pod should not get one. */
export function serviceAccountProjection(pod: Pod): ProjectedVolumeSource | undefined {
  if (pod.spec?.automountServiceAccountToken === false) return undefined;
  const all = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  // A pod that already mounts something there (upstream admission ran elsewhere) keeps its own.
  if (all.some((c) => (c.volumeMounts ?? []).some((m) => m.mountPath === SERVICE_ACCOUNT_MOUNT_PATH))) return undefined;
  return {
    defaultMode: 0o644,
    sources: [
      { serviceAccountToken: { path: 'token', expirationSeconds: 3607 } },
      { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }], optional: true } },
      { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
    ],
  };
}

/** The mount each container gets for the default volume (none when the pod has no such volume). */
export function serviceAccountMount(pod: Pod): VolumeMount | undefined {
  return serviceAccountProjection(pod) ? { name: SERVICE_ACCOUNT_VOLUME, mountPath: SERVICE_ACCOUNT_MOUNT_PATH, readOnly: true } : undefined;
}

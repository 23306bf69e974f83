import type { PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import type { StorageClass as StorageClassV1 } from 'kubernetes-types/storage/v1.js';
import type { ResourceDefinition } from '../../api/resource-definition.ts';
import type { KubeObject } from '../../api/types.ts';
import type { ApiContext } from '../api-context.ts';

/** Annotation marking the cluster's default StorageClass. */
export const DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';
const BETA_DEFAULT_CLASS_ANNOTATION = 'storageclass.beta.kubernetes.io/is-default-class';


/**
 * Upstream DefaultStorageClass admission: a claim that names no class (field absent, not "") gets
 * the default class; with several defaults, the newest wins.
 */
export async function admitDefaultStorageClass(ctx: ApiContext, r: ResourceDefinition, obj: KubeObject): Promise<void> {
  if (r.group !== '' || r.plural !== 'persistentvolumeclaims') return;
  const spec = ((obj as PersistentVolumeClaim).spec ??= {});
  if (spec.storageClassName !== undefined && spec.storageClassName !== null) return;
  if (obj.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class'] !== undefined) return;
  const def = ctx.catalog().find('storage.k8s.io', 'v1', 'storageclasses');
  if (!def) return;
  const classes = (await ctx.objects.list(def, {})).items as unknown as StorageClassV1[];
  const defaults = classes.filter((c) => isDefaultClass(c)).sort((a, b) => (b.metadata?.creationTimestamp ?? '').localeCompare(a.metadata?.creationTimestamp ?? '') || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
  const chosen = defaults[0]?.metadata?.name;
  if (chosen) spec.storageClassName = chosen;
}

/** True when a StorageClass carries the (GA or beta) default-class annotation set to "true". */
export function isDefaultClass(c: { metadata?: { annotations?: Record<string, string> } }): boolean {
  const a = c.metadata?.annotations ?? {};
  return a[DEFAULT_CLASS_ANNOTATION] === 'true' || a[BETA_DEFAULT_CLASS_ANNOTATION] === 'true';
}


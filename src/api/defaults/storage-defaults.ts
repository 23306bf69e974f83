import type { KubeObject } from '../types.ts';

/** StorageClass: reclaimPolicy Delete, volumeBindingMode Immediate. */
export function defaultStorageClass(obj: KubeObject): void {
  // Plain field access: the lint rule guarding `storage/` folders also matches kubernetes-types/storage.
  obj.reclaimPolicy ??= 'Delete';
  obj.volumeBindingMode ??= 'Immediate';
}

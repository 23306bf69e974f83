import type { PersistentVolume, PersistentVolumeClaim, PersistentVolumeSpec } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';

/** What a provisioner is asked to make for one claim. */
export interface ProvisionRequest {
  /** Name the PersistentVolume will get (`pvc-<claim uid>`), e.g. for a directory name. */
  pvName: string;
  /** The node the scheduler chose (WaitForFirstConsumer classes), when there is one. */
  selectedNode?: string;
}

/**
 * A dynamic volume provisioner, registered under the name StorageClasses give as `provisioner`.
 * `provision` must be idempotent for a given pvName (it is retried if creating the PV fails).
 */
export interface VolumeProvisioner {
  readonly name: string;
  /** Creates backing storage and describes it; the binder fills claimRef, class and reclaim policy. */
  provision(claim: PersistentVolumeClaim, storageClass: StorageClass, req: ProvisionRequest): Promise<PersistentVolumeSpec>;
  /** Removes the backing storage of a volume this provisioner made (reclaimPolicy Delete). */
  delete(pv: PersistentVolume): Promise<void>;
}

import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import { isNotFound } from '../../client/api-error.ts';
import { R } from '../../client/resource-ref.ts';
import { ANN_PROVISIONED_BY, type BinderDeps } from './claim-sync.ts';

export const REASON_VOLUME_FAILED_DELETE = 'VolumeFailedDelete';
export const REASON_VOLUME_FAILED_RECYCLE = 'VolumeFailedRecycle';

/**
 * Keeps a volume's phase true to its claim: Available when free or only reserved, Bound while its
 * claim exists, Released once the claim is gone, then reclaimed by policy (Delete removes storage
 * through the provisioner that made it, and the PV).
 */
export async function syncVolume(d: BinderDeps, pv: PersistentVolume, claimOf: (ns: string, name: string) => PersistentVolumeClaim | undefined): Promise<void> {
  const ref = pv.spec?.claimRef;
  if (!ref || !ref.uid) return setVolumePhase(d, pv, 'Available');
  const cached = claimOf(ref.namespace ?? '', ref.name ?? '');
  // The cache may lag a claim that was just created; ask the API before declaring the volume released.
  const claim = cached?.metadata?.uid === ref.uid ? cached : await d.client.get<PersistentVolumeClaim>(R.persistentvolumeclaims, ref.namespace, ref.name ?? '').catch((err: unknown) => (isNotFound(err) ? undefined : Promise.reject(err)));
  if (claim && claim.metadata?.uid === ref.uid) {
    if (!claim.spec?.volumeName || claim.spec.volumeName === pv.metadata?.name) return setVolumePhase(d, pv, 'Bound');
  }
  if (pv.status?.phase === 'Failed') return;
  await setVolumePhase(d, pv, 'Released');
  await reclaim(d, pv);
}

async function reclaim(d: BinderDeps, pv: PersistentVolume): Promise<void> {
  const policy = pv.spec?.persistentVolumeReclaimPolicy ?? 'Retain';
  if (policy === 'Retain') return;
  const name = pv.metadata?.name ?? '';
  if (policy === 'Recycle') {
    d.recorder.event(pv, 'Warning', REASON_VOLUME_FAILED_RECYCLE, `No recycler plugin found for the volume!`);
    return setVolumePhase(d, pv, 'Failed', 'No recycler plugin found for the volume!');
  }
  const provisioner = d.provisioners.get(pv.metadata?.annotations?.[ANN_PROVISIONED_BY] ?? '');
  if (!provisioner) {
    const message = `error getting deleter volume plugin for volume "${name}": no deletable volume plugin matched`;
    d.recorder.event(pv, 'Warning', REASON_VOLUME_FAILED_DELETE, message);
    return setVolumePhase(d, pv, 'Failed', message);
  }
  await provisioner.delete(pv);
  await d.client.delete(R.persistentvolumes, undefined, name).catch((err: unknown) => {
    if (!isNotFound(err)) throw err;
  });
}

async function setVolumePhase(d: BinderDeps, pv: PersistentVolume, phase: string, message?: string): Promise<void> {
  if (pv.status?.phase === phase) return;
  const status = { ...(pv.status ?? {}), phase, ...(message ? { message } : {}) };
  if (!message) delete status.message;
  await d.client.updateStatus(R.persistentvolumes, { ...structuredClone(pv), status });
}

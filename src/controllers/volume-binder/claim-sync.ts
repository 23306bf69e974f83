import type { Node, PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import { isAlreadyExists } from '../../client/api-error.ts';
import type { KubeClient } from '../../client/kube-client.ts';
import { R } from '../../client/resource-ref.ts';
import type { EventRecorder } from '../../controller/event-recorder.ts';
import { bestVolume, preBoundTo } from './volume-matching.ts';
import type { VolumeProvisioner } from './volume-provisioner.ts';

export const ANN_BIND_COMPLETED = 'pv.kubernetes.io/bind-completed';
export const ANN_BOUND_BY_CONTROLLER = 'pv.kubernetes.io/bound-by-controller';
export const ANN_PROVISIONED_BY = 'pv.kubernetes.io/provisioned-by';
export const ANN_SELECTED_NODE = 'volume.kubernetes.io/selected-node';
export const ANN_STORAGE_PROVISIONER = 'volume.kubernetes.io/storage-provisioner';
const ANN_BETA_STORAGE_PROVISIONER = 'volume.beta.kubernetes.io/storage-provisioner';

/** Event reasons, as upstream's PV controller records them. */
export const REASON_FAILED_BINDING = 'FailedBinding';
export const REASON_WAIT_FOR_FIRST_CONSUMER = 'WaitForFirstConsumer';
export const REASON_EXTERNAL_PROVISIONING = 'ExternalProvisioning';
export const REASON_PROVISIONING_SUCCEEDED = 'ProvisioningSucceeded';
export const REASON_PROVISIONING_FAILED = 'ProvisioningFailed';
export const REASON_CLAIM_LOST = 'ClaimLost';

/** What claim and volume syncs share: the client, caches, provisioners and events. */
export interface BinderDeps {
  client: KubeClient;
  recorder: EventRecorder;
  provisioners: Map<string, VolumeProvisioner>;
  volumes(): PersistentVolume[];
  volume(name: string): PersistentVolume | undefined;
  storageClass(name: string): StorageClass | undefined;
  node(name: string): Node | undefined;
}

/** Binds one claim: to its named volume, to the best fitting volume, or to a freshly provisioned one. */
export async function syncClaim(d: BinderDeps, claim: PersistentVolumeClaim): Promise<void> {
  if (claim.metadata?.deletionTimestamp) return;
  const volumeName = claim.spec?.volumeName;
  if (volumeName) return syncNamedClaim(d, claim, volumeName);
  const className = claim.spec?.storageClassName ?? '';
  const storageClass = className ? d.storageClass(className) : undefined;
  const selectedNode = claim.metadata?.annotations?.[ANN_SELECTED_NODE];
  if (storageClass?.volumeBindingMode === 'WaitForFirstConsumer' && !selectedNode) {
    d.recorder.event(claim, 'Normal', REASON_WAIT_FOR_FIRST_CONSUMER, 'waiting for first consumer to be created before binding');
    return setClaimPhase(d, claim, 'Pending');
  }
  const node = selectedNode ? d.node(selectedNode) : undefined;
  const match = bestVolume(d.volumes(), claim, node);
  if (match) return bind(d, match, claim);
  if (!storageClass?.provisioner || claim.spec?.selector) {
    d.recorder.event(claim, 'Normal', REASON_FAILED_BINDING, className ? `storageclass.storage.k8s.io "${className}" not found` : 'no persistent volumes available for this claim and no storage class is set');
    return setClaimPhase(d, claim, 'Pending');
  }
  await provision(d, claim, storageClass, selectedNode);
}

async function syncNamedClaim(d: BinderDeps, claim: PersistentVolumeClaim, volumeName: string): Promise<void> {
  const pv = d.volume(volumeName);
  if (!pv) {
    if (claim.status?.phase === 'Bound' || claim.status?.phase === 'Lost') {
      if (claim.status.phase !== 'Lost') d.recorder.event(claim, 'Warning', REASON_CLAIM_LOST, 'Bound claim has lost its PersistentVolume. Data on the volume is lost!');
      return setClaimPhase(d, claim, 'Lost');
    }
    return setClaimPhase(d, claim, 'Pending');
  }
  if (!pv.spec?.claimRef || preBoundTo(pv, claim)) return bind(d, pv, claim);
  d.recorder.event(claim, 'Warning', REASON_FAILED_BINDING, `volume "${volumeName}" already bound to a different claim.`);
  await setClaimPhase(d, claim, 'Pending');
}

/** Points the volume at the claim and the claim at the volume, then marks both Bound. */
export async function bind(d: BinderDeps, pv: PersistentVolume, claim: PersistentVolumeClaim): Promise<void> {
  let volume = structuredClone(pv);
  const ref = volume.spec?.claimRef;
  if (!ref?.uid || ref.uid !== claim.metadata?.uid) {
    const spec = (volume.spec ??= {});
    spec.claimRef = { kind: 'PersistentVolumeClaim', apiVersion: 'v1', namespace: claim.metadata?.namespace, name: claim.metadata?.name, uid: claim.metadata?.uid, resourceVersion: claim.metadata?.resourceVersion };
    volume.metadata = { ...volume.metadata, annotations: { ...(volume.metadata?.annotations ?? {}), ...(ref ? {} : { [ANN_BOUND_BY_CONTROLLER]: 'yes' }) } };
    volume = await d.client.update<PersistentVolume>(R.persistentvolumes, volume);
  }
  if (volume.status?.phase !== 'Bound') volume = await d.client.updateStatus<PersistentVolume>(R.persistentvolumes, { ...volume, status: { ...(volume.status ?? {}), phase: 'Bound' } });
  let c = structuredClone(claim);
  const annotations = c.metadata?.annotations ?? {};
  if (c.spec?.volumeName !== volume.metadata?.name || annotations[ANN_BIND_COMPLETED] !== 'yes') {
    const boundByUs = !c.spec?.volumeName;
    c.spec = { ...c.spec, volumeName: volume.metadata?.name };
    c.metadata = { ...c.metadata, annotations: { ...annotations, [ANN_BIND_COMPLETED]: 'yes', ...(boundByUs ? { [ANN_BOUND_BY_CONTROLLER]: 'yes' } : {}) } };
    c = await d.client.update<PersistentVolumeClaim>(R.persistentvolumeclaims, c);
  }
  if (c.status?.phase !== 'Bound') {
    const status = { ...(c.status ?? {}), phase: 'Bound', accessModes: volume.spec?.accessModes, capacity: volume.spec?.capacity };
    await d.client.updateStatus(R.persistentvolumeclaims, { ...c, status });
  }
}

async function provision(d: BinderDeps, claim: PersistentVolumeClaim, storageClass: StorageClass, selectedNode: string | undefined): Promise<void> {
  const provisionerName = storageClass.provisioner;
  const annotations = claim.metadata?.annotations ?? {};
  if (annotations[ANN_STORAGE_PROVISIONER] !== provisionerName) {
    const c = structuredClone(claim);
    c.metadata = { ...c.metadata, annotations: { ...annotations, [ANN_STORAGE_PROVISIONER]: provisionerName, [ANN_BETA_STORAGE_PROVISIONER]: provisionerName } };
    await d.client.update(R.persistentvolumeclaims, c);
    return; // The update brings the claim back with the annotation.
  }
  const provisioner = d.provisioners.get(provisionerName);
  if (!provisioner) {
    const message = `Waiting for a volume to be created either by the external provisioner '${provisionerName}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`;
    d.recorder.event(claim, 'Normal', REASON_EXTERNAL_PROVISIONING, message);
    return setClaimPhase(d, claim, 'Pending');
  }
  const pvName = `pvc-${claim.metadata?.uid ?? ''}`;
  if (d.volume(pvName)) return; // Made already; the volume's event brings the claim back to bind it.
  let spec;
  try {
    spec = await provisioner.provision(claim, storageClass, { pvName, ...(selectedNode ? { selectedNode } : {}) });
  } catch (err) {
    d.recorder.event(claim, 'Warning', REASON_PROVISIONING_FAILED, `failed to provision volume with StorageClass "${storageClass.metadata?.name ?? ''}": ${err instanceof Error ? err.message : String(err)}`);
    throw err;
  }
  const pv: PersistentVolume = {
    metadata: { name: pvName, annotations: { [ANN_PROVISIONED_BY]: provisionerName } },
    spec: {
      ...spec,
      claimRef: { kind: 'PersistentVolumeClaim', apiVersion: 'v1', namespace: claim.metadata?.namespace, name: claim.metadata?.name, uid: claim.metadata?.uid, resourceVersion: claim.metadata?.resourceVersion },
      storageClassName: storageClass.metadata?.name,
      persistentVolumeReclaimPolicy: storageClass.reclaimPolicy ?? 'Delete',
      ...(storageClass.mountOptions ? { mountOptions: storageClass.mountOptions } : {}),
    },
  };
  try {
    await d.client.create(R.persistentvolumes, pv);
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
  }
  d.recorder.event(claim, 'Normal', REASON_PROVISIONING_SUCCEEDED, `Successfully provisioned volume ${pvName} using ${provisionerName}`);
}

async function setClaimPhase(d: BinderDeps, claim: PersistentVolumeClaim, phase: string): Promise<void> {
  if (claim.status?.phase === phase) return;
  await d.client.updateStatus(R.persistentvolumeclaims, { ...structuredClone(claim), status: { ...(claim.status ?? {}), phase } });
}

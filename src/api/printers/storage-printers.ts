import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import type { ObjectMeta } from 'kubernetes-types/meta/v1.js';
import type { TablePrinter } from '../resource-definition.ts';
import { ageColumn, column, nameColumn, wideColumn } from './columns.ts';
import { ageOf, asKind, nameOf, quantityString } from './format.ts';

/**
 * storage.k8s.io/v1 StorageClass fields the printer reads. Declared here because the lint rule
 * guarding `storage/` imports also matches `kubernetes-types/storage/v1.js`.
 */
interface StorageClass {
  metadata?: ObjectMeta;
  provisioner?: string;
  reclaimPolicy?: string;
  volumeBindingMode?: string;
  allowVolumeExpansion?: boolean;
}

/** Deprecated annotation that still overrides `storageClassName`, as upstream's class helpers honour it. */
const BETA_STORAGE_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';
const DEFAULT_CLASS_ANNOTATIONS = ['storageclass.kubernetes.io/is-default-class', 'storageclass.beta.kubernetes.io/is-default-class'];

const ACCESS_MODE_ABBREVIATIONS: Array<[string, string]> = [
  ['ReadWriteOnce', 'RWO'],
  ['ReadOnlyMany', 'ROX'],
  ['ReadWriteMany', 'RWX'],
  ['ReadWriteOncePod', 'RWOP'],
];

/** `RWO,RWX`…, in that fixed order, each once. */
function accessModes(modes: string[] | undefined): string {
  const present = new Set(modes ?? []);
  return ACCESS_MODE_ABBREVIATIONS.filter(([mode]) => present.has(mode))
    .map(([, short]) => short)
    .join(',');
}

function storageClassOf(obj: { metadata?: { annotations?: Record<string, string> }; spec?: { storageClassName?: string } }): string {
  return obj.metadata?.annotations?.[BETA_STORAGE_CLASS_ANNOTATION] ?? obj.spec?.storageClassName ?? '';
}

/** PersistentVolumes: NAME CAPACITY ACCESS MODES RECLAIM POLICY STATUS CLAIM STORAGECLASS VOLUMEATTRIBUTESCLASS REASON AGE, wide VOLUMEMODE. */
export const persistentVolumePrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Capacity', "capacity is the description of the persistent volume's resources and capacity."),
    column('Access Modes', 'accessModes contains all ways the volume can be mounted.'),
    column('Reclaim Policy', 'persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim.'),
    column('Status', 'phase indicates if a volume is available, bound to a claim, or released by a claim.'),
    column('Claim', 'claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim.'),
    column('StorageClass', 'StorageClass of the pv'),
    column('VolumeAttributesClass', 'VolumeAttributesClass of the pv'),
    column('Reason', 'reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI.'),
    ageColumn(),
    wideColumn('VolumeMode', 'volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state.'),
  ],
  cells(obj, now) {
    const pv = asKind<PersistentVolume>(obj);
    const spec = pv.spec;
    const claim = spec?.claimRef ? `${spec.claimRef.namespace ?? ''}/${spec.claimRef.name ?? ''}` : '';
    const phase = pv.metadata?.deletionTimestamp !== undefined ? 'Terminating' : (pv.status?.phase ?? '');
    return [
      nameOf(pv),
      quantityString(spec?.capacity?.storage),
      accessModes(spec?.accessModes),
      spec?.persistentVolumeReclaimPolicy ?? '',
      phase,
      claim,
      storageClassOf(pv),
      spec?.volumeAttributesClassName ?? '<unset>',
      pv.status?.reason ?? '',
      ageOf(pv, now),
      spec?.volumeMode ?? '<unset>',
    ];
  },
};

/** PersistentVolumeClaims: NAME STATUS VOLUME CAPACITY ACCESS MODES STORAGECLASS VOLUMEATTRIBUTESCLASS AGE, wide VOLUMEMODE. */
export const persistentVolumeClaimPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Status', 'phase represents the current phase of PersistentVolumeClaim.'),
    column('Volume', 'volumeName is the binding reference to the PersistentVolume backing this claim.'),
    column('Capacity', 'capacity represents the actual resources of the underlying volume.'),
    column('Access Modes', 'accessModes contains the actual access modes the volume backing the PVC has.'),
    column('StorageClass', 'StorageClass of the pvc'),
    column('VolumeAttributesClass', 'VolumeAttributesClass of the pvc'),
    ageColumn(),
    wideColumn('VolumeMode', 'volumeMode defines what type of volume is required by the claim.'),
  ],
  cells(obj, now) {
    const pvc = asKind<PersistentVolumeClaim>(obj);
    const volumeName = pvc.spec?.volumeName ?? '';
    // Capacity and modes are the bound volume's, so they stay empty until the claim is bound.
    const capacity = volumeName === '' ? '' : quantityString(pvc.status?.capacity?.storage);
    const modes = volumeName === '' ? '' : accessModes(pvc.status?.accessModes);
    const phase = pvc.metadata?.deletionTimestamp !== undefined ? 'Terminating' : (pvc.status?.phase ?? '');
    return [
      nameOf(pvc),
      phase,
      volumeName,
      capacity,
      modes,
      storageClassOf(pvc),
      pvc.spec?.volumeAttributesClassName ?? '<unset>',
      ageOf(pvc, now),
      pvc.spec?.volumeMode ?? '<unset>',
    ];
  },
};

/** StorageClasses: NAME PROVISIONER RECLAIMPOLICY VOLUMEBINDINGMODE ALLOWVOLUMEEXPANSION AGE; the default class is marked `(default)`. */
export const storageClassPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Provisioner', 'provisioner indicates the type of the provisioner.'),
    column('ReclaimPolicy', 'reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class. Defaults to Delete.'),
    column('VolumeBindingMode', 'volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.'),
    column('AllowVolumeExpansion', 'allowVolumeExpansion shows whether the storage class allow volume expand.'),
    ageColumn(),
  ],
  cells(obj, now) {
    const sc = asKind<StorageClass>(obj);
    const annotations = sc.metadata?.annotations ?? {};
    const isDefault = DEFAULT_CLASS_ANNOTATIONS.some((a) => annotations[a] === 'true');
    const name = isDefault ? `${nameOf(sc)} (default)` : nameOf(sc);
    return [name, sc.provisioner ?? '', sc.reclaimPolicy ?? 'Delete', sc.volumeBindingMode ?? 'Immediate', sc.allowVolumeExpansion ?? false, ageOf(sc, now)];
  },
};

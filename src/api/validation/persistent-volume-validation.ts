import type { PersistentVolume, PersistentVolumeClaim, PersistentVolumeClaimSpec } from 'kubernetes-types/core/v1.js';
import type { FieldError, KubeObject } from '../types.ts';
import { isQuantity, parseQuantity, compareQuantities } from '../quantity.ts';
import { immutable, jsonEqual, oneOf, validateLabelSelector, validateQuantity } from './common-rules.ts';
import { forbidden, invalid, required } from './field-errors.ts';
import { FieldPath } from './field-path.ts';

const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
const VOLUME_MODES = ['Block', 'Filesystem'];
const PV_SOURCES = [
  'hostPath', 'gcePersistentDisk', 'awsElasticBlockStore', 'glusterfs', 'nfs', 'rbd', 'quobyte', 'cinder', 'cephfs',
  'iscsi', 'fc', 'flocker', 'flexVolume', 'azureFile', 'azureDisk', 'vsphereVolume', 'photonPersistentDisk',
  'portworxVolume', 'scaleIO', 'local', 'storageos', 'csi',
];
const SPEC = FieldPath.root('spec');

function validateAccessModes(modes: string[] | undefined, path: FieldPath): FieldError[] {
  if (!modes || modes.length === 0) return [required(path)];
  const errs = modes.flatMap((m) => oneOf(m, ACCESS_MODES, path, true));
  if (modes.includes('ReadWriteOncePod') && modes.length > 1) {
    errs.push(forbidden(path, 'may not use ReadWriteOncePod with other access modes'));
  }
  return errs;
}

/** PersistentVolume: capacity, access modes, exactly one source, reclaim policy, volume mode. */
export function validatePersistentVolume(obj: KubeObject, old?: KubeObject): FieldError[] {
  const spec = (obj as PersistentVolume).spec ?? {};
  const errs = validateAccessModes(spec.accessModes, SPEC.child('accessModes'));
  const storage = spec.capacity?.['storage'];
  if (storage === undefined) errs.push(required(SPEC.child('capacity')));
  else errs.push(...validateQuantity(storage, SPEC.child('capacity').key('storage')));
  const record = spec as Record<string, unknown>;
  const sources = PV_SOURCES.filter((s) => record[s] !== undefined && record[s] !== null);
  if (sources.length === 0) errs.push(required(SPEC, 'must specify a volume type'));
  for (const extra of sources.slice(1)) errs.push(forbidden(SPEC.child(extra), 'may not specify more than 1 volume type'));
  if (spec.hostPath && !spec.hostPath.path) errs.push(required(SPEC.child('hostPath', 'path')));
  if (spec.local && !spec.local.path) errs.push(required(SPEC.child('local', 'path')));
  errs.push(...oneOf(spec.persistentVolumeReclaimPolicy, ['Delete', 'Recycle', 'Retain'], SPEC.child('persistentVolumeReclaimPolicy')));
  errs.push(...oneOf(spec.volumeMode, VOLUME_MODES, SPEC.child('volumeMode')));
  if (old) errs.push(...immutable(spec.volumeMode, (old as PersistentVolume).spec?.volumeMode, SPEC.child('volumeMode')));
  return errs;
}

/** PersistentVolumeClaim: access modes and a positive storage request; on update only growth. */
export function validatePersistentVolumeClaim(obj: KubeObject, old?: KubeObject): FieldError[] {
  const spec: PersistentVolumeClaimSpec = (obj as PersistentVolumeClaim).spec ?? {};
  return [...validateClaimSpec(spec, SPEC), ...(old ? validateClaimUpdate(spec, (old as PersistentVolumeClaim).spec ?? {}) : [])];
}

/** A claim spec (also used for StatefulSet volumeClaimTemplates). */
export function validateClaimSpec(spec: PersistentVolumeClaimSpec, path: FieldPath): FieldError[] {
  const errs = validateAccessModes(spec.accessModes, path.child('accessModes'));
  errs.push(...validateLabelSelector(spec.selector, path.child('selector')));
  errs.push(...oneOf(spec.volumeMode, VOLUME_MODES, path.child('volumeMode')));
  const storage = spec.resources?.requests?.['storage'];
  const storagePath = path.child('resources').key('storage');
  if (storage === undefined) return [...errs, required(storagePath)];
  errs.push(...validateQuantity(storage, storagePath));
  if (isQuantity(storage) && parseQuantity(storage).nanos === 0n) errs.push(invalid(storagePath, storage, 'must be greater than zero'));
  return errs;
}

function validateClaimUpdate(spec: PersistentVolumeClaimSpec, old: PersistentVolumeClaimSpec): FieldError[] {
  const errs: FieldError[] = [];
  const masked = (s: PersistentVolumeClaimSpec): PersistentVolumeClaimSpec => ({
    ...s,
    resources: { ...s.resources, requests: undefined },
    volumeAttributesClassName: undefined,
    // Binding fills in volumeName once.
    volumeName: old.volumeName ? s.volumeName : undefined,
  });
  if (!jsonEqual(masked(spec), masked(old))) {
    errs.push(forbidden(SPEC, 'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims'));
  }
  const now = spec.resources?.requests?.['storage'];
  const before = old.resources?.requests?.['storage'];
  if (isQuantity(now) && isQuantity(before) && compareQuantities(parseQuantity(now), parseQuantity(before)) < 0) {
    errs.push(forbidden(SPEC.child('resources', 'requests', 'storage'), 'field can not be less than previous value'));
  }
  return errs;
}

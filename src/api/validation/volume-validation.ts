import type { Volume } from 'kubernetes-types/core/v1.js';
import type { FieldError } from '../types.ts';
import { isRecord, validateQuantity } from './common-rules.ts';
import { duplicate, forbidden, invalid, invalidEach, required } from './field-errors.ts';
import type { FieldPath } from './field-path.ts';
import { dns1123Label } from './name-rules.ts';

/** Every volume source field; a volume must set exactly one. */
export const VOLUME_SOURCES = [
  'hostPath', 'emptyDir', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'secret', 'nfs', 'iscsi',
  'glusterfs', 'persistentVolumeClaim', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'downwardAPI', 'fc',
  'azureFile', 'configMap', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'projected',
  'portworxVolume', 'scaleIO', 'storageos', 'csi', 'ephemeral', 'image',
] as const;

const MODE_DETAIL = 'must be a number between 0 and 0777 (octal), both inclusive';

/** Validates `spec.volumes`; returns the errors and the names that later volumeMounts may refer to. */
export function validateVolumes(volumes: Volume[], path: FieldPath): { errors: FieldError[]; names: Set<string> } {
  const errors: FieldError[] = [];
  const names = new Set<string>();
  volumes.forEach((volume, i) => {
    const at = path.index(i);
    if (!volume.name) errors.push(required(at.child('name')));
    else errors.push(...invalidEach(at.child('name'), volume.name, dns1123Label(volume.name)));
    if (volume.name && names.has(volume.name)) errors.push(duplicate(at.child('name'), volume.name));
    if (volume.name) names.add(volume.name);
    errors.push(...validateVolumeSource(volume, at));
  });
  return { errors, names };
}

function validateVolumeSource(volume: Volume, at: FieldPath): FieldError[] {
  const record = volume as unknown as Record<string, unknown>;
  const sources = VOLUME_SOURCES.filter((s) => record[s] !== undefined && record[s] !== null);
  if (sources.length === 0) return [required(at, 'must specify a volume type')];
  const [first, ...extra] = sources;
  const errs = extra.map((s) => forbidden(at.child(s), 'may not specify more than 1 volume type'));
  return first ? [...errs, ...validateOneSource(volume, first, at.child(first))] : errs;
}

function validateOneSource(volume: Volume, source: (typeof VOLUME_SOURCES)[number], at: FieldPath): FieldError[] {
  switch (source) {
    case 'hostPath': return volume.hostPath?.path ? [] : [required(at.child('path'))];
    case 'secret': return [...(volume.secret?.secretName ? [] : [required(at.child('secretName'))]), ...fileMode(volume.secret?.defaultMode, at.child('defaultMode'))];
    case 'configMap': return [...(volume.configMap?.name ? [] : [required(at.child('name'))]), ...fileMode(volume.configMap?.defaultMode, at.child('defaultMode'))];
    case 'persistentVolumeClaim': return volume.persistentVolumeClaim?.claimName ? [] : [required(at.child('claimName'))];
    case 'downwardAPI': return fileMode(volume.downwardAPI?.defaultMode, at.child('defaultMode'));
    case 'projected': return fileMode(volume.projected?.defaultMode, at.child('defaultMode'));
    case 'nfs': return [...(volume.nfs?.server ? [] : [required(at.child('server'))]), ...(volume.nfs?.path ? [] : [required(at.child('path'))])];
    case 'csi': return volume.csi?.driver ? [] : [required(at.child('driver'))];
    case 'emptyDir': {
      const sizeLimit = isRecord(volume.emptyDir) ? volume.emptyDir.sizeLimit : undefined;
      return sizeLimit === undefined ? [] : validateQuantity(sizeLimit, at.child('sizeLimit'));
    }
    default: return [];
  }
}

/** File permission bits (`defaultMode`, `mode`): 0 to 0777. */
export function fileMode(mode: number | undefined, path: FieldPath): FieldError[] {
  return mode !== undefined && (mode < 0 || mode > 0o777) ? [invalid(path, mode, MODE_DETAIL)] : [];
}

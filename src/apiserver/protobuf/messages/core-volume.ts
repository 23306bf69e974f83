/**
 * core/v1 Volume and its sources (k8s.io.api.core.v1). The deprecated in-tree cloud and network plugins
 * (gcePersistentDisk, rbd, cinder, …) are deliberately absent: a body using them fails with a clear error.
 */
import {
  bool, inline, int32, int64, message, msg, msgs, ptr, quantity, quantityMap, str, stringMap, strs,
} from '../schema.ts';
import { resourceFieldSelector, objectFieldSelector } from './core-container.ts';
import { localObjectReference, typedLocalObjectReference, typedObjectReference } from './core-refs.ts';
import { labelSelector, objectMeta } from './meta.ts';

export const keyToPath = message('core/v1 KeyToPath', {
  1: str('key'),
  2: str('path'),
  3: ptr(int32('mode')),
});

export const hostPathVolumeSource = message('core/v1 HostPathVolumeSource', {
  1: str('path'),
  2: ptr(str('type')),
});

export const emptyDirVolumeSource = message('core/v1 EmptyDirVolumeSource', {
  1: str('medium'),
  2: ptr(quantity('sizeLimit')),
});

export const secretVolumeSource = message('core/v1 SecretVolumeSource', {
  1: str('secretName'),
  2: msgs('items', () => keyToPath),
  3: ptr(int32('defaultMode')),
  4: ptr(bool('optional')),
});

export const configMapVolumeSource = message('core/v1 ConfigMapVolumeSource', {
  1: inline(() => localObjectReference),
  2: msgs('items', () => keyToPath),
  3: ptr(int32('defaultMode')),
  4: ptr(bool('optional')),
});

export const nfsVolumeSource = message('core/v1 NFSVolumeSource', {
  1: str('server'),
  2: str('path'),
  3: bool('readOnly'),
});

export const persistentVolumeClaimVolumeSource = message('core/v1 PersistentVolumeClaimVolumeSource', {
  1: str('claimName'),
  2: bool('readOnly'),
});

export const downwardAPIVolumeFile = message('core/v1 DownwardAPIVolumeFile', {
  1: str('path'),
  2: ptr(msg('fieldRef', () => objectFieldSelector)),
  3: ptr(msg('resourceFieldRef', () => resourceFieldSelector)),
  4: ptr(int32('mode')),
});

export const downwardAPIVolumeSource = message('core/v1 DownwardAPIVolumeSource', {
  1: msgs('items', () => downwardAPIVolumeFile),
  2: ptr(int32('defaultMode')),
});

export const downwardAPIProjection = message('core/v1 DownwardAPIProjection', {
  1: msgs('items', () => downwardAPIVolumeFile),
});

const objectProjection = (name: string) => message(`core/v1 ${name}`, {
  1: inline(() => localObjectReference),
  2: msgs('items', () => keyToPath),
  4: ptr(bool('optional')),
});
export const secretProjection = objectProjection('SecretProjection');
export const configMapProjection = objectProjection('ConfigMapProjection');

export const serviceAccountTokenProjection = message('core/v1 ServiceAccountTokenProjection', {
  1: str('audience'),
  2: ptr(int64('expirationSeconds')),
  3: str('path'),
});

export const clusterTrustBundleProjection = message('core/v1 ClusterTrustBundleProjection', {
  1: ptr(str('name')),
  2: ptr(str('signerName')),
  3: ptr(msg('labelSelector', () => labelSelector)),
  5: ptr(bool('optional')),
  4: str('path'),
});

export const volumeProjection = message('core/v1 VolumeProjection', {
  1: ptr(msg('secret', () => secretProjection)),
  2: ptr(msg('downwardAPI', () => downwardAPIProjection)),
  3: ptr(msg('configMap', () => configMapProjection)),
  4: ptr(msg('serviceAccountToken', () => serviceAccountTokenProjection)),
  5: ptr(msg('clusterTrustBundle', () => clusterTrustBundleProjection)),
});

export const projectedVolumeSource = message('core/v1 ProjectedVolumeSource', {
  1: msgs('sources', () => volumeProjection),
  2: ptr(int32('defaultMode')),
});

export const csiVolumeSource = message('core/v1 CSIVolumeSource', {
  1: str('driver'),
  2: ptr(bool('readOnly')),
  3: ptr(str('fsType')),
  4: stringMap('volumeAttributes'),
  5: ptr(msg('nodePublishSecretRef', () => localObjectReference)),
});

export const volumeResourceRequirements = message('core/v1 VolumeResourceRequirements', {
  1: quantityMap('limits'),
  2: quantityMap('requests'),
});

export const persistentVolumeClaimSpec = message('core/v1 PersistentVolumeClaimSpec', {
  1: strs('accessModes'),
  4: ptr(msg('selector', () => labelSelector)),
  2: msg('resources', () => volumeResourceRequirements),
  3: str('volumeName'),
  5: ptr(str('storageClassName')),
  6: ptr(str('volumeMode')),
  7: ptr(msg('dataSource', () => typedLocalObjectReference)),
  8: ptr(msg('dataSourceRef', () => typedObjectReference)),
  9: ptr(str('volumeAttributesClassName')),
});

export const persistentVolumeClaimTemplate = message('core/v1 PersistentVolumeClaimTemplate', {
  1: msg('metadata', () => objectMeta),
  2: msg('spec', () => persistentVolumeClaimSpec),
});

export const ephemeralVolumeSource = message('core/v1 EphemeralVolumeSource', {
  1: ptr(msg('volumeClaimTemplate', () => persistentVolumeClaimTemplate)),
});

export const imageVolumeSource = message('core/v1 ImageVolumeSource', {
  1: str('reference'),
  2: str('pullPolicy'),
});

export const volumeSource = message('core/v1 VolumeSource', {
  1: ptr(msg('hostPath', () => hostPathVolumeSource)),
  2: ptr(msg('emptyDir', () => emptyDirVolumeSource)),
  6: ptr(msg('secret', () => secretVolumeSource)),
  7: ptr(msg('nfs', () => nfsVolumeSource)),
  10: ptr(msg('persistentVolumeClaim', () => persistentVolumeClaimVolumeSource)),
  16: ptr(msg('downwardAPI', () => downwardAPIVolumeSource)),
  19: ptr(msg('configMap', () => configMapVolumeSource)),
  26: ptr(msg('projected', () => projectedVolumeSource)),
  28: ptr(msg('csi', () => csiVolumeSource)),
  29: ptr(msg('ephemeral', () => ephemeralVolumeSource)),
  30: ptr(msg('image', () => imageVolumeSource)),
});

export const volume = message('core/v1 Volume', {
  1: str('name'),
  2: inline(() => volumeSource),
});

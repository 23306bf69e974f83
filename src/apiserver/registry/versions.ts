import { STORAGE_VERSION } from '../../api/builtin-resources.ts';
import type { ResourceDefinition } from '../../api/resource-definition.ts';
import type { ResourceCatalog } from './resource-catalog.ts';
import { apiVersionOf, type KubeObject } from '../../api/types.ts';
import { hpaV1ToV2, hpaV2ToV1 } from '../../api/conversion/hpa-conversion.ts';

function storageVersion(r: ResourceDefinition): string {
  return STORAGE_VERSION[`${r.group}/${r.kind}`] ?? r.version;
}

/**
 * Stored objects are kept at one version per resource; requests at another served version are
 * converted on the way in and out (HPA autoscaling/v1 ↔ v2; custom resources only relabel).
 */
export function presentObject(r: ResourceDefinition, obj: KubeObject): KubeObject {
  const apiVersion = apiVersionOf(r);
  if (obj.apiVersion === apiVersion) return obj;
  if (r.group === 'autoscaling' && r.kind === 'HorizontalPodAutoscaler' && r.version === 'v1') return hpaV2ToV1(obj);
  return { ...obj, apiVersion, kind: r.kind };
}

export function toStorageObject(r: ResourceDefinition, obj: KubeObject): KubeObject {
  const target = storageVersion(r);
  if (target === r.version) return obj;
  if (r.group === 'autoscaling' && r.kind === 'HorizontalPodAutoscaler' && r.version === 'v1') return hpaV1ToV2(obj);
  return obj;
}

/**
 * The served resource at the storage version: writes addressed to another version convert the body
 * first (toStorageObject), so identity, schema and validation checks must use this one.
 */
export function storageResourceOf(catalog: ResourceCatalog, r: ResourceDefinition): ResourceDefinition {
  const version = storageVersion(r);
  return version === r.version ? r : (catalog.find(r.group, version, r.plural) ?? r);
}

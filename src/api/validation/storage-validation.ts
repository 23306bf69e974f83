import type { FieldError, KubeObject } from '../types.ts';
import { immutable, jsonEqual, oneOf } from './common-rules.ts';
import { forbidden, invalidEach, required } from './field-errors.ts';
import { FieldPath } from './field-path.ts';
import { qualifiedName } from './name-rules.ts';

/**
 * The StorageClass fields checked here. (Typed locally: the lint rule guarding `storage/` folders also
 * matches `kubernetes-types/storage/v1.js`.)
 */
interface StorageClass {
  provisioner?: string;
  parameters?: Record<string, string>;
  reclaimPolicy?: string;
  volumeBindingMode?: string;
}

/** StorageClass: provisioner, policies; provisioner, parameters and reclaim policy are fixed once created. */
export function validateStorageClass(obj: KubeObject, old?: KubeObject): FieldError[] {
  const sc = obj as unknown as StorageClass;
  const errs: FieldError[] = [];
  const provisioner = FieldPath.root('provisioner');
  if (!sc.provisioner) errs.push(required(provisioner));
  else errs.push(...invalidEach(provisioner, sc.provisioner, qualifiedName(sc.provisioner.toLowerCase())));
  errs.push(...oneOf(sc.reclaimPolicy, ['Delete', 'Retain'], FieldPath.root('reclaimPolicy')));
  errs.push(...oneOf(sc.volumeBindingMode, ['Immediate', 'WaitForFirstConsumer'], FieldPath.root('volumeBindingMode')));
  if (!old) return errs;
  const before = old as unknown as StorageClass;
  if (!jsonEqual(sc.parameters ?? {}, before.parameters ?? {})) errs.push(forbidden(FieldPath.root('parameters'), 'updates to parameters are forbidden.'));
  if (sc.provisioner !== before.provisioner) errs.push(forbidden(provisioner, 'updates to provisioner are forbidden.'));
  if ((sc.reclaimPolicy ?? 'Delete') !== (before.reclaimPolicy ?? 'Delete')) errs.push(forbidden(FieldPath.root('reclaimPolicy'), 'updates to reclaimPolicy are forbidden.'));
  errs.push(...immutable(sc.volumeBindingMode, before.volumeBindingMode, FieldPath.root('volumeBindingMode')));
  return errs;
}

import type { ConfigMap, Secret } from 'kubernetes-types/core/v1.js';
import type { FieldError, KubeObject } from '../types.ts';
import { immutable, jsonEqual } from './common-rules.ts';
import { forbidden, invalid, invalidEach, required, tooLong } from './field-errors.ts';
import { FieldPath } from './field-path.ts';
import { configMapKey } from './name-rules.ts';

/** ConfigMaps and Secrets hold at most 1 MiB of data, as upstream's MaxSecretSize. */
export const MAX_DATA_SIZE = 1024 * 1024;
const IMMUTABLE_SET = 'field is immutable when `immutable` is set';

/** ConfigMap: key syntax, no key in both data and binaryData, 1 MiB total, `immutable` honoured. */
export function validateConfigMap(obj: KubeObject, old?: KubeObject): FieldError[] {
  const cm = obj as ConfigMap;
  const errs: FieldError[] = [];
  let size = 0;
  for (const [key, value] of Object.entries(cm.data ?? {})) {
    errs.push(...invalidEach(FieldPath.root('data').key(key), key, configMapKey(key)));
    size += Buffer.byteLength(String(value));
  }
  for (const [key, value] of Object.entries(cm.binaryData ?? {})) {
    const at = FieldPath.root('binaryData').key(key);
    errs.push(...invalidEach(at, key, configMapKey(key)));
    if (cm.data && key in cm.data) errs.push(invalid(at, key, 'duplicate of key present in data'));
    size += Buffer.from(String(value), 'base64').length;
  }
  // Upstream reports the whole object, at a field it prints as `[]`.
  if (size > MAX_DATA_SIZE) errs.push(tooLong(FieldPath.root('[]'), '', `must have at most ${MAX_DATA_SIZE} bytes`));
  if (old) errs.push(...validateImmutableData(cm, old as ConfigMap, ['data', 'binaryData']));
  return errs;
}

function validateImmutableData(obj: ConfigMap | Secret, old: ConfigMap | Secret, fields: string[]): FieldError[] {
  if (old.immutable !== true) return [];
  const errs: FieldError[] = [];
  if (obj.immutable !== true) errs.push(forbidden(FieldPath.root('immutable'), IMMUTABLE_SET));
  const now = obj as unknown as Record<string, unknown>;
  const before = old as unknown as Record<string, unknown>;
  for (const field of fields) {
    if (!jsonEqual(now[field] ?? {}, before[field] ?? {})) errs.push(forbidden(FieldPath.root(field), IMMUTABLE_SET));
  }
  return errs;
}

/** Keys each Secret type must carry in `data`. */
const REQUIRED_SECRET_KEYS: Record<string, string[]> = {
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
};

/**
 * Secret: key syntax, 1 MiB total, type-specific keys, `type` immutable and `immutable` honoured.
 * Expects `stringData` already folded into `data` (the Secret defaulter does that).
 */
export function validateSecret(obj: KubeObject, old?: KubeObject): FieldError[] {
  const secret = obj as Secret;
  const data = secret.data ?? {};
  const dataPath = FieldPath.root('data');
  const errs: FieldError[] = [];
  let size = 0;
  for (const [key, value] of Object.entries(data)) {
    errs.push(...invalidEach(dataPath.key(key), key, configMapKey(key)));
    size += Buffer.from(String(value), 'base64').length;
  }
  if (size > MAX_DATA_SIZE) errs.push(tooLong(dataPath, '', `must have at most ${MAX_DATA_SIZE} bytes`));
  const type = secret.type ?? 'Opaque';
  for (const key of REQUIRED_SECRET_KEYS[type] ?? []) {
    if (!(key in data)) errs.push(required(dataPath.key(key)));
  }
  if (type === 'kubernetes.io/basic-auth' && !('username' in data) && !('password' in data)) {
    errs.push(required(dataPath.key('username')), required(dataPath.key('password')));
  }
  if (type === 'kubernetes.io/service-account-token' && !secret.metadata?.annotations?.['kubernetes.io/service-account.name']) {
    errs.push(required(FieldPath.root('metadata', 'annotations').key('kubernetes.io/service-account.name')));
  }
  if (old) {
    errs.push(...immutable(type, (old as Secret).type ?? 'Opaque', FieldPath.root('type')));
    errs.push(...validateImmutableData(secret, old as Secret, ['data']));
  }
  return errs;
}

import { randomBytes, randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../../api/types.ts';

const NAME_SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** Upstream's generateName suffix: 5 characters from an alphabet without vowels or confusable digits. */
export function generateNameSuffix(): string {
  const bytes = randomBytes(5);
  let s = '';
  for (const b of bytes) s += NAME_SUFFIX_ALPHABET[b % NAME_SUFFIX_ALPHABET.length];
  return s;
}

export function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Sets the server-owned metadata of a new object. */
export function initCreateMetadata(obj: KubeObject, now: Date): void {
  const meta = (obj.metadata ??= {});
  if (!meta.name && meta.generateName) meta.name = `${meta.generateName.slice(0, 58)}${generateNameSuffix()}`;
  meta.uid = randomUUID();
  meta.creationTimestamp = rfc3339(now);
  // Only objects with a spec track generations (ConfigMaps, Secrets… have none upstream).
  if ('spec' in obj) meta.generation = 1;
  else delete meta.generation;
  delete meta.resourceVersion;
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  delete meta.selfLink;
}

/**
 * Carries server-owned metadata from the stored object onto an update: clients cannot change
 * uid, creationTimestamp, generation or deletion state through a write.
 */
export function keepServerMetadata(updated: KubeObject, old: KubeObject): void {
  const meta = (updated.metadata ??= {});
  const prev = old.metadata ?? {};
  meta.uid = prev.uid;
  meta.creationTimestamp = prev.creationTimestamp;
  if (prev.generation === undefined) delete meta.generation;
  else meta.generation = prev.generation;
  if (prev.deletionTimestamp) {
    meta.deletionTimestamp = prev.deletionTimestamp;
    if (prev.deletionGracePeriodSeconds !== undefined) meta.deletionGracePeriodSeconds = prev.deletionGracePeriodSeconds;
  } else {
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
  }
  delete meta.selfLink;
}

/** Everything but metadata and status: a change here is a spec change and bumps metadata.generation. */
export function specPart(obj: KubeObject): Record<string, unknown> {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = obj;
  return rest;
}

export function bumpGenerationIfSpecChanged(updated: KubeObject, old: KubeObject): void {
  if (old.metadata?.generation === undefined) return;
  if (!isDeepStrictEqual(specPart(updated), specPart(old))) {
    const meta = (updated.metadata ??= {});
    meta.generation = (old.metadata?.generation ?? 1) + 1;
  }
}

import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import type { LabelSelector } from '../../api/selectors/label-selector.ts';
import type { ObjectLike } from '../../api/types.ts';
import { isNotFound } from '../../client/api-error.ts';
import type { KubeClient } from '../../client/kube-client.ts';
import type { ResourceRef } from '../../client/resource-ref.ts';

/** The owner reference a controller puts on what it creates: controller and blockOwnerDeletion set. */
export function controllerRefTo(owner: ObjectLike, apiVersion: string, kind: string): OwnerReference {
  return { apiVersion, kind, name: owner.metadata?.name ?? '', uid: owner.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true };
}

/** The controller owner reference of `obj`, if any. */
export function controllerOf(obj: ObjectLike): OwnerReference | undefined {
  return obj.metadata?.ownerReferences?.find((o) => o.controller);
}

export interface ClaimConfig<T extends ObjectLike> {
  client: KubeClient;
  resource: ResourceRef;
  owner: ObjectLike;
  ownerRef: OwnerReference;
  selector: LabelSelector;
  candidates: T[];
}

/**
 * Upstream's ControllerRefManager: keeps what the owner controls and still selects, adopts
 * matching orphans (unless either side is being deleted) and releases what no longer matches.
 * Returns the objects the owner now controls. Writes carry the cached resourceVersion, so a stale
 * cache fails with a conflict instead of overwriting someone else's claim.
 */
export async function claimObjects<T extends ObjectLike>(cfg: ClaimConfig<T>): Promise<T[]> {
  const uid = cfg.owner.metadata?.uid;
  const owned: T[] = [];
  for (const obj of cfg.candidates) {
    const ref = controllerOf(obj);
    const matches = cfg.selector.matches(obj.metadata?.labels);
    if (ref?.uid === uid) {
      if (matches || obj.metadata?.deletionTimestamp) owned.push(obj);
      else await setOwners(cfg, obj, (obj.metadata?.ownerReferences ?? []).filter((o) => o.uid !== uid));
      continue;
    }
    if (ref || !matches || cfg.owner.metadata?.deletionTimestamp || obj.metadata?.deletionTimestamp) continue;
    const adopted = await setOwners(cfg, obj, [...(obj.metadata?.ownerReferences ?? []), cfg.ownerRef]);
    if (adopted) owned.push(adopted);
  }
  return owned;
}

async function setOwners<T extends ObjectLike>(cfg: ClaimConfig<T>, obj: T, ownerReferences: OwnerReference[]): Promise<T | undefined> {
  const patch = { metadata: { resourceVersion: obj.metadata?.resourceVersion, ownerReferences } };
  try {
    return await cfg.client.patch<T>(cfg.resource, obj.metadata?.namespace, obj.metadata?.name ?? '', 'merge', patch);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { desiredReplicas, specReplicas } from './deployment-math.ts';
import { syncRevision } from './replica-sets.ts';
import { scaleReplicaSet, type SyncState } from './sync-state.ts';

/**
 * One Recreate step (upstream's rolloutRecreate): scale every old ReplicaSet to zero, wait until
 * none of their pods is left running, then create/scale the new one to the full count.
 * Returns the new ReplicaSet once it exists.
 */
export async function recreateStep(s: SyncState, podsOf: (rs: ReplicaSet) => Pod[]): Promise<ReplicaSet | undefined> {
  const synced = await syncRevision(s, false);
  const old = synced.old;
  let newRS = synced.newRS;
  let scaledDown = false;
  for (const rs of old) {
    if (specReplicas(rs) === 0) continue;
    await scaleReplicaSet(s, rs, 0);
    scaledDown = true;
  }
  if (scaledDown || oldPodsRunning(old, podsOf)) return newRS;
  if (!newRS) newRS = (await syncRevision(s, true)).newRS;
  if (newRS && specReplicas(newRS) !== desiredReplicas(s.d)) newRS = await scaleReplicaSet(s, newRS, desiredReplicas(s.d));
  return newRS;
}

function oldPodsRunning(old: ReplicaSet[], podsOf: (rs: ReplicaSet) => Pod[]): boolean {
  if (old.some((rs) => (rs.status?.replicas ?? 0) > 0)) return true;
  return old.some((rs) => podsOf(rs).some((p) => p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded'));
}

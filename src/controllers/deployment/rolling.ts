import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { byCreation, desiredReplicas, maxUnavailable, newRSNewReplicas, specReplicas, sumSpec } from './deployment-math.ts';
import { scaleReplicaSet, type SyncState } from './sync-state.ts';

/**
 * One rolling-update step (upstream's rolloutRolling): grow the new ReplicaSet within maxSurge;
 * if that did nothing, shrink old ones within maxUnavailable. Returns whether anything scaled.
 */
export async function rollingStep(s: SyncState, newRS: ReplicaSet, old: ReplicaSet[]): Promise<boolean> {
  if (await reconcileNewReplicaSet(s, newRS)) return true;
  return reconcileOldReplicaSets(s, current(s, newRS), old.map((rs) => current(s, rs)));
}

/** The latest copy of `rs` in the sync state (after writes). */
function current(s: SyncState, rs: ReplicaSet): ReplicaSet {
  return s.rss.find((x) => x.metadata?.uid === rs.metadata?.uid) ?? rs;
}

async function reconcileNewReplicaSet(s: SyncState, newRS: ReplicaSet): Promise<boolean> {
  const want = desiredReplicas(s.d);
  if (specReplicas(newRS) === want) return false;
  if (specReplicas(newRS) > want) {
    await scaleReplicaSet(s, newRS, want);
    return true;
  }
  const next = newRSNewReplicas(s.d, s.rss, newRS);
  if (next === specReplicas(newRS)) return false;
  await scaleReplicaSet(s, newRS, next);
  return true;
}

async function reconcileOldReplicaSets(s: SyncState, newRS: ReplicaSet, old: ReplicaSet[]): Promise<boolean> {
  if (sumSpec(old) === 0) return false;
  const minAvailable = desiredReplicas(s.d) - maxUnavailable(s.d);
  const newUnavailable = specReplicas(newRS) - (newRS.status?.availableReplicas ?? 0);
  const maxScaledDown = sumSpec(s.rss) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return false;
  const cleaned = await cleanupUnhealthyReplicas(s, old, maxScaledDown);
  const scaled = await scaleDownOldForRollingUpdate(s, old.map((rs) => current(s, rs)));
  return cleaned + scaled > 0;
}

/** Old pods that are not available count against nothing: remove them first, oldest RS first. */
async function cleanupUnhealthyReplicas(s: SyncState, old: ReplicaSet[], maxCleanup: number): Promise<number> {
  let total = 0;
  for (const rs of byCreation(old)) {
    if (total >= maxCleanup) break;
    const unhealthy = specReplicas(rs) - (rs.status?.availableReplicas ?? 0);
    if (specReplicas(rs) === 0 || unhealthy <= 0) continue;
    const down = Math.min(maxCleanup - total, unhealthy);
    await scaleReplicaSet(s, rs, specReplicas(rs) - down);
    total += down;
  }
  return total;
}

/** Shrinks old ReplicaSets, oldest first, only as far as keeps minAvailable pods available. */
async function scaleDownOldForRollingUpdate(s: SyncState, old: ReplicaSet[]): Promise<number> {
  const minAvailable = desiredReplicas(s.d) - maxUnavailable(s.d);
  // A ReplicaSet just scaled down may still report the pods it is removing: never count more
  // available pods than it is sized for, or two quick steps would remove too many.
  const available = s.rss.reduce((n, rs) => n + Math.min(rs.status?.availableReplicas ?? 0, specReplicas(rs)), 0);
  if (available <= minAvailable) return 0;
  const budget = available - minAvailable;
  let total = 0;
  for (const rs of byCreation(old)) {
    if (total >= budget) break;
    if (specReplicas(rs) === 0) continue;
    const down = Math.min(specReplicas(rs), budget - total);
    await scaleReplicaSet(s, rs, specReplicas(rs) - down);
    total += down;
  }
  return total;
}

import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { R } from '../../client/resource-ref.ts';
import { MAX_REPLICAS, revisionOf } from './annotations.ts';
import { byRevision, desiredReplicas, isRollingUpdate, maxSurge, specReplicas, sumSpec } from './deployment-math.ts';
import { scaleReplicaSet, type SyncState } from './sync-state.ts';

const created = (rs: ReplicaSet) => Date.parse(rs.metadata?.creationTimestamp ?? '') || 0;

/**
 * A scaling event (replicas changed, or paused): upstream's `scale`. With one active ReplicaSet
 * it takes the new size; mid-rollout the difference is spread over the ReplicaSets in proportion
 * to their size (upstream's proportional scaling), largest first, leftovers to the first.
 */
export async function scaleDeployment(s: SyncState, newRS: ReplicaSet | undefined, old: ReplicaSet[]): Promise<void> {
  const active = [newRS, ...old].filter((rs): rs is ReplicaSet => rs !== undefined && specReplicas(rs) > 0);
  const want = desiredReplicas(s.d);
  const only = active.length === 1 ? active[0] : active.length === 0 ? (newRS ?? [...old].sort((a, b) => created(b) - created(a))[0]) : undefined;
  if (only) {
    if (specReplicas(only) !== want) await scaleReplicaSet(s, only, want);
    return;
  }
  if (newRS && specReplicas(newRS) === want && (newRS.status?.availableReplicas ?? 0) === want) {
    for (const rs of old) if (specReplicas(rs) > 0) await scaleReplicaSet(s, rs, 0);
    return;
  }
  if (!isRollingUpdate(s.d)) return;
  await scaleProportionally(s, active);
}

async function scaleProportionally(s: SyncState, active: ReplicaSet[]): Promise<void> {
  const allowed = desiredReplicas(s.d) + maxSurge(s.d);
  const delta = allowed - sumSpec(active);
  if (delta === 0) return;
  const ordered = [...active].sort((a, b) => (delta > 0 ? specReplicas(b) - specReplicas(a) : specReplicas(a) - specReplicas(b)) || created(b) - created(a));
  const sizes = new Map<ReplicaSet, number>();
  let added = 0;
  for (const rs of ordered) {
    const annotated = Number(rs.metadata?.annotations?.[MAX_REPLICAS] ?? 0) || s.d.status?.replicas || sumSpec(active) || 1;
    let share = Math.round((specReplicas(rs) * allowed) / annotated) - specReplicas(rs);
    share = delta > 0 ? Math.min(share, delta - added) : Math.max(share, delta - added);
    sizes.set(rs, specReplicas(rs) + share);
    added += share;
  }
  const first = ordered[0];
  if (first) sizes.set(first, Math.max(0, (sizes.get(first) ?? 0) + delta - added));
  for (const [rs, size] of sizes) if (size !== specReplicas(rs)) await scaleReplicaSet(s, rs, Math.max(0, size));
}

/** Deletes the oldest fully scaled-down old ReplicaSets beyond revisionHistoryLimit. */
export async function cleanupOldReplicaSets(s: SyncState, old: ReplicaSet[]): Promise<void> {
  const limit = s.d.spec?.revisionHistoryLimit;
  if (limit === undefined) return;
  const alive = old.filter((rs) => !rs.metadata?.deletionTimestamp);
  const excess = alive.length - limit;
  if (excess <= 0) return;
  for (const rs of byRevision(alive, revisionOf).slice(0, excess)) {
    const idle = specReplicas(rs) === 0 && (rs.status?.replicas ?? 0) === 0 && (rs.metadata?.generation ?? 0) <= (rs.status?.observedGeneration ?? 0);
    if (!idle) continue;
    await s.client.delete(R.replicasets, rs.metadata?.namespace, rs.metadata?.name ?? '', { preconditions: { uid: rs.metadata?.uid } }).catch(() => undefined);
  }
}

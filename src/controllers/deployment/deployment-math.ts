import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { resolveFenceposts } from '../workload-common/int-or-percent.ts';

export const specReplicas = (rs: ReplicaSet | undefined): number => rs?.spec?.replicas ?? 0;
export const sumSpec = (rss: ReplicaSet[]): number => rss.reduce((n, rs) => n + specReplicas(rs), 0);
export const sumStatus = (rss: ReplicaSet[], f: 'replicas' | 'readyReplicas' | 'availableReplicas'): number => rss.reduce((n, rs) => n + (rs.status?.[f] ?? 0), 0);

export const desiredReplicas = (d: Deployment): number => d.spec?.replicas ?? 1;
export const isRollingUpdate = (d: Deployment): boolean => (d.spec?.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';

/** maxSurge as a count (0 unless RollingUpdate). */
export function maxSurge(d: Deployment): number {
  if (!isRollingUpdate(d)) return 0;
  const r = d.spec?.strategy?.rollingUpdate;
  return resolveFenceposts(r?.maxSurge ?? '25%', r?.maxUnavailable ?? '25%', desiredReplicas(d)).surge;
}

/** maxUnavailable as a count, never more than the replicas (0 unless RollingUpdate). */
export function maxUnavailable(d: Deployment): number {
  const replicas = desiredReplicas(d);
  if (!isRollingUpdate(d) || replicas === 0) return 0;
  const r = d.spec?.strategy?.rollingUpdate;
  const { unavailable } = resolveFenceposts(r?.maxSurge ?? '25%', r?.maxUnavailable ?? '25%', replicas);
  return Math.min(unavailable, replicas);
}

/** How big the new ReplicaSet may be now (upstream's NewRSNewReplicas). */
export function newRSNewReplicas(d: Deployment, all: ReplicaSet[], newRS: ReplicaSet | undefined): number {
  if (!isRollingUpdate(d)) return desiredReplicas(d);
  const current = sumSpec(all);
  const maxTotal = desiredReplicas(d) + maxSurge(d);
  if (current >= maxTotal) return specReplicas(newRS);
  const up = Math.min(maxTotal - current, desiredReplicas(d) - specReplicas(newRS));
  return specReplicas(newRS) + up;
}

const created = (rs: ReplicaSet) => Date.parse(rs.metadata?.creationTimestamp ?? '') || 0;

/** Oldest first (ties by name), as upstream's ReplicaSetsByCreationTimestamp. */
export function byCreation(rss: ReplicaSet[]): ReplicaSet[] {
  return [...rss].sort((a, b) => created(a) - created(b) || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
}

/** Oldest revision first. */
export function byRevision(rss: ReplicaSet[], revisionOf: (rs: ReplicaSet) => number): ReplicaSet[] {
  return [...rss].sort((a, b) => revisionOf(a) - revisionOf(b) || created(a) - created(b));
}

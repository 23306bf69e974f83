import type { Pod } from 'kubernetes-types/core/v1.js';
import { isPodReady, podReadySince } from './pod-status.ts';

/** Annotation users set to steer which pods a scale-down removes first (lower cost first). */
export const POD_DELETION_COST = 'controller.kubernetes.io/pod-deletion-cost';

const PHASE_RANK: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

const restarts = (p: Pod) => (p.status?.containerStatuses ?? []).reduce((n, c) => n + (c.restartCount ?? 0), 0);
const created = (p: Pod) => Date.parse(p.metadata?.creationTimestamp ?? '') || 0;
const cost = (p: Pod) => Number(p.metadata?.annotations?.[POD_DELETION_COST] ?? 0) || 0;

/**
 * Orders pods so the ones a scale-down should remove come first, as upstream's ActivePods
 * ordering: unscheduled < scheduled, Pending < Unknown < Running, not ready < ready, lower
 * deletion cost first, ready for less time first, more restarts first, newer first.
 */
export function compareForDeletion(a: Pod, b: Pod): number {
  const aBound = a.spec?.nodeName ? 1 : 0;
  const bBound = b.spec?.nodeName ? 1 : 0;
  if (aBound !== bBound) return aBound - bBound;
  const phase = (PHASE_RANK[a.status?.phase ?? 'Pending'] ?? 0) - (PHASE_RANK[b.status?.phase ?? 'Pending'] ?? 0);
  if (phase !== 0) return phase;
  const aReady = isPodReady(a) ? 1 : 0;
  const bReady = isPodReady(b) ? 1 : 0;
  if (aReady !== bReady) return aReady - bReady;
  if (cost(a) !== cost(b)) return cost(a) - cost(b);
  if (aReady && bReady) {
    const since = (podReadySince(b) ?? 0) - (podReadySince(a) ?? 0);
    if (since !== 0) return since;
  }
  if (restarts(a) !== restarts(b)) return restarts(b) - restarts(a);
  return created(b) - created(a);
}

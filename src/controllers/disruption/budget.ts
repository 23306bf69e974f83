import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Condition } from 'kubernetes-types/meta/v1.js';
import type { PodDisruptionBudget, PodDisruptionBudgetStatus } from 'kubernetes-types/policy/v1.js';
import { labelSelectorFromObject } from '../../api/selectors/label-selector.ts';

/** How long an eviction the controller has not seen carried out keeps a pod out of the healthy count. */
export const DISRUPTION_TIMEOUT_MS = 2 * 60_000;

/** policy/v1: a nil selector selects nothing, an empty one every pod of the namespace. */
export function budgetSelects(pdb: PodDisruptionBudget, pod: Pod): boolean {
  if (!pdb.spec?.selector) return false;
  return labelSelectorFromObject(pdb.spec.selector).matches(pod.metadata?.labels);
}

export function isPodReady(pod: Pod): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** True when the budget's size depends on the pods' controllers (maxUnavailable or a percentage). */
export function needsControllerScale(pdb: PodDisruptionBudget): boolean {
  const min = pdb.spec?.minAvailable;
  return pdb.spec?.maxUnavailable !== undefined || typeof min === 'string';
}

/** `30%` of `total`, rounded up (upstream GetScaledValueFromIntOrPercent with roundUp); ints as-is. */
export function scaled(value: number | string, total: number): number {
  if (typeof value === 'number') return value;
  const match = /^(\d+)%$/.exec(value);
  if (!match) {
    const n = Number(value);
    if (Number.isInteger(n)) return n;
    throw new Error(`invalid value for IntOrString: invalid value "${value}": must be an integer or percentage (e.g '5%')`);
  }
  return Math.ceil((Number(match[1]) * total) / 100);
}

/** Expected and desired healthy counts: by pod count for integer minAvailable, else by controller scale. */
export function desiredCounts(pdb: PodDisruptionBudget, podCount: number, controllerScale: number): { expectedPods: number; desiredHealthy: number } {
  const { maxUnavailable, minAvailable } = pdb.spec ?? {};
  if (maxUnavailable !== undefined) {
    return { expectedPods: controllerScale, desiredHealthy: Math.max(0, controllerScale - scaled(maxUnavailable, controllerScale)) };
  }
  if (typeof minAvailable === 'number') return { expectedPods: podCount, desiredHealthy: minAvailable };
  if (typeof minAvailable === 'string') return { expectedPods: controllerScale, desiredHealthy: scaled(minAvailable, controllerScale) };
  // Neither set (policy/v1 allows it): nothing is protected, as upstream computes it.
  return { expectedPods: 0, desiredHealthy: 0 };
}

/**
 * Evictions still pending: entries for pods that still exist, are not yet terminating and whose
 * eviction is younger than the timeout. Also returns when the next entry expires.
 */
export function pendingDisruptions(pdb: PodDisruptionBudget, pods: Pod[], now: Date): { disrupted: Record<string, string>; nextExpiryMs?: number } {
  const byName = new Map(pods.map((p) => [p.metadata?.name ?? '', p]));
  const disrupted: Record<string, string> = {};
  let nextExpiryMs: number | undefined;
  for (const [name, at] of Object.entries(pdb.status?.disruptedPods ?? {})) {
    const pod = byName.get(name);
    if (!pod || pod.metadata?.deletionTimestamp) continue;
    const expiry = Date.parse(at) + DISRUPTION_TIMEOUT_MS;
    if (expiry <= now.getTime()) continue;
    disrupted[name] = at;
    nextExpiryMs = Math.min(nextExpiryMs ?? Infinity, expiry - now.getTime());
  }
  return { disrupted, nextExpiryMs };
}

/** Ready pods that are neither terminating nor about to be evicted. */
export function countHealthy(pods: Pod[], disrupted: Record<string, string>): number {
  return pods.filter((p) => !p.metadata?.deletionTimestamp && !((p.metadata?.name ?? '') in disrupted) && isPodReady(p)).length;
}

/** The full status the controller writes (conditions merged so transition times survive). */
export function budgetStatus(pdb: PodDisruptionBudget, input: { currentHealthy: number; desiredHealthy: number; expectedPods: number; disrupted: Record<string, string> }, now: string): PodDisruptionBudgetStatus {
  const disruptionsAllowed = Math.max(0, input.currentHealthy - input.desiredHealthy);
  const generation = pdb.metadata?.generation ?? 0;
  const status: PodDisruptionBudgetStatus = {
    currentHealthy: input.currentHealthy,
    desiredHealthy: input.desiredHealthy,
    disruptionsAllowed,
    expectedPods: input.expectedPods,
    observedGeneration: generation,
    conditions: withCondition(pdb.status?.conditions ?? [], disruptionsAllowed > 0 ? 'True' : 'False', disruptionsAllowed > 0 ? 'SufficientPods' : 'InsufficientPods', '', now, generation),
  };
  if (Object.keys(input.disrupted).length > 0) status.disruptedPods = input.disrupted;
  return status;
}

/** No disruptions while the budget cannot be computed (upstream failSafe). */
export function failSafeStatus(pdb: PodDisruptionBudget, message: string, now: string): PodDisruptionBudgetStatus {
  const generation = pdb.metadata?.generation ?? 0;
  return {
    ...(pdb.status ?? { currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 }),
    disruptionsAllowed: 0,
    observedGeneration: generation,
    conditions: withCondition(pdb.status?.conditions ?? [], 'False', 'SyncFailed', message, now, generation),
  } as PodDisruptionBudgetStatus;
}

function withCondition(conditions: Condition[], status: string, reason: string, message: string, now: string, observedGeneration: number): Condition[] {
  const previous = conditions.find((c) => c.type === 'DisruptionAllowed');
  const unchanged = previous?.status === status;
  const condition: Condition = { type: 'DisruptionAllowed', status, reason, message, lastTransitionTime: unchanged ? previous.lastTransitionTime : now, observedGeneration };
  return [...conditions.filter((c) => c.type !== 'DisruptionAllowed'), condition];
}

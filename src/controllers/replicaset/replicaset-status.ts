import type { ReplicaSet, ReplicaSetCondition, ReplicaSetStatus } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { canonicalJson } from '../workload-common/template-hash.ts';
import { isPodAvailable, isPodReady } from '../workload-common/pod-status.ts';

/** Why the last create/delete of pods failed, for the ReplicaFailure condition. */
export interface ManageFailure {
  reason: 'FailedCreate' | 'FailedDelete';
  message: string;
}

function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Pods carrying every label of the template (upstream's fullyLabeledReplicas). */
function fullyLabeled(pods: Pod[], templateLabels: Record<string, string>): number {
  const entries = Object.entries(templateLabels);
  return pods.filter((p) => entries.every(([k, v]) => p.metadata?.labels?.[k] === v)).length;
}

/**
 * The status a ReplicaSet should have given its active pods (upstream's
 * calculateStatus): counts, observedGeneration, and ReplicaFailure while creating or deleting
 * pods fails (removed once it succeeds again).
 */
export function calculateStatus(rs: ReplicaSet, active: Pod[], failure: ManageFailure | undefined, now: Date): ReplicaSetStatus {
  const minReady = rs.spec?.minReadySeconds ?? 0;
  const conditions = (rs.status?.conditions ?? []).filter((c) => c.type !== 'ReplicaFailure' || failure);
  if (failure) {
    const cond: ReplicaSetCondition = { type: 'ReplicaFailure', status: 'True', reason: failure.reason, message: failure.message, lastTransitionTime: rfc3339(now) };
    const at = conditions.findIndex((c) => c.type === 'ReplicaFailure');
    if (at < 0) conditions.push(cond);
    else if (conditions[at]?.message !== failure.message) conditions[at] = { ...cond, lastTransitionTime: conditions[at]?.lastTransitionTime };
  }
  return {
    replicas: active.length,
    fullyLabeledReplicas: fullyLabeled(active, rs.spec?.template?.metadata?.labels ?? {}),
    readyReplicas: active.filter(isPodReady).length,
    availableReplicas: active.filter((p) => isPodAvailable(p, minReady, now)).length,
    observedGeneration: rs.metadata?.generation,
    ...(conditions.length ? { conditions } : {}),
  };
}

/** True when the status differs in anything the API would store. */
export function statusChanged(a: ReplicaSetStatus | undefined, b: ReplicaSetStatus): boolean {
  const norm = (s: ReplicaSetStatus | undefined) => canonicalJson({ ...s, fullyLabeledReplicas: s?.fullyLabeledReplicas || 0, readyReplicas: s?.readyReplicas || 0, availableReplicas: s?.availableReplicas || 0, conditions: s?.conditions ?? [] });
  return norm(a) !== norm(b);
}

import type { Deployment, DeploymentCondition, DeploymentStatus, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { desiredReplicas, maxUnavailable, sumSpec, sumStatus } from './deployment-math.ts';

/** Condition reasons kubectl and users read (upstream's deployment util constants). */
export const COND = {
  newRSAvailable: 'NewReplicaSetAvailable',
  rsUpdated: 'ReplicaSetUpdated',
  newRSCreated: 'NewReplicaSetCreated',
  foundNewRS: 'FoundNewReplicaSet',
  timedOut: 'ProgressDeadlineExceeded',
  paused: 'DeploymentPaused',
  resumed: 'DeploymentResumed',
  minAvailable: 'MinimumReplicasAvailable',
  minUnavailable: 'MinimumReplicasUnavailable',
  rsCreateError: 'ReplicaSetCreateError',
} as const;

function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function getCondition(s: DeploymentStatus | undefined, type: string): DeploymentCondition | undefined {
  return s?.conditions?.find((c) => c.type === type);
}

/**
 * Sets a condition as upstream's SetDeploymentCondition: an identical status and reason is kept
 * as it is; a same-status change keeps lastTransitionTime.
 */
export function setCondition(s: DeploymentStatus, type: string, status: string, reason: string, message: string, now: Date): void {
  const current = getCondition(s, type);
  if (current && current.status === status && current.reason === reason) return;
  const at = rfc3339(now);
  const cond: DeploymentCondition = { type, status, reason, message, lastUpdateTime: at, lastTransitionTime: current && current.status === status ? current.lastTransitionTime : at };
  s.conditions = [...(s.conditions ?? []).filter((c) => c.type !== type), cond];
}

export function removeCondition(s: DeploymentStatus, type: string): void {
  s.conditions = (s.conditions ?? []).filter((c) => c.type !== type);
  if (s.conditions.length === 0) delete s.conditions;
}

/** Counts from the ReplicaSets plus the Available condition (upstream's calculateStatus). */
export function calculateStatus(all: ReplicaSet[], newRS: ReplicaSet | undefined, d: Deployment, now: Date): DeploymentStatus {
  const available = sumStatus(all, 'availableReplicas');
  const status: DeploymentStatus = {
    observedGeneration: d.metadata?.generation,
    replicas: sumStatus(all, 'replicas'),
    updatedReplicas: newRS ? (newRS.status?.replicas ?? 0) : 0,
    readyReplicas: sumStatus(all, 'readyReplicas'),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, sumSpec(all) - available),
    ...(d.status?.collisionCount !== undefined ? { collisionCount: d.status.collisionCount } : {}),
    ...(d.status?.conditions ? { conditions: structuredClone(d.status.conditions) } : {}),
  };
  if (available >= desiredReplicas(d) - maxUnavailable(d)) setCondition(status, 'Available', 'True', COND.minAvailable, 'Deployment has minimum availability.', now);
  else setCondition(status, 'Available', 'False', COND.minUnavailable, 'Deployment does not have minimum availability.', now);
  return status;
}

/** Every replica updated and available, and the newest spec observed (upstream's DeploymentComplete). */
export function isComplete(d: Deployment, s: DeploymentStatus): boolean {
  const want = desiredReplicas(d);
  return s.updatedReplicas === want && s.replicas === want && s.availableReplicas === want && (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0);
}

/** Did this sync move the rollout forward compared with the stored status? */
export function isProgressing(d: Deployment, s: DeploymentStatus): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (s.replicas ?? 0) - (s.updatedReplicas ?? 0);
  return (s.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) || newOld < oldOld || (s.readyReplicas ?? 0) > (old.readyReplicas ?? 0) || (s.availableReplicas ?? 0) > (old.availableReplicas ?? 0);
}

/** The progress deadline passed since the Progressing condition last moved. */
export function hasTimedOut(d: Deployment, s: DeploymentStatus, now: Date): boolean {
  const cond = getCondition(s, 'Progressing');
  const deadline = d.spec?.progressDeadlineSeconds;
  if (!cond || deadline === undefined) return false;
  if (cond.reason === COND.newRSAvailable) return false;
  if (cond.reason === COND.timedOut) return true;
  return Date.parse(cond.lastUpdateTime ?? '') + deadline * 1000 < now.getTime();
}

/**
 * The Progressing condition for a rolling or recreating deployment (upstream's
 * syncRolloutStatus): complete → NewReplicaSetAvailable; moved → ReplicaSetUpdated; stuck past
 * progressDeadlineSeconds → ProgressDeadlineExceeded.
 */
export function applyProgress(d: Deployment, s: DeploymentStatus, newRS: ReplicaSet | undefined, now: Date): void {
  if (d.spec?.progressDeadlineSeconds === undefined) return removeCondition(s, 'Progressing');
  const current = getCondition(s, 'Progressing');
  const alreadyComplete = s.replicas === s.updatedReplicas && current?.reason === COND.newRSAvailable;
  if (alreadyComplete) return;
  const name = newRS?.metadata?.name ?? '';
  if (isComplete(d, s)) {
    setCondition(s, 'Progressing', 'True', COND.newRSAvailable, newRS ? `ReplicaSet "${name}" has successfully progressed.` : 'Deployment has successfully progressed.', now);
  } else if (isProgressing(d, s)) {
    // Progress refreshes lastUpdateTime (the deadline restarts) but keeps lastTransitionTime.
    const at = rfc3339(now);
    const kept = current?.status === 'True' ? current.lastTransitionTime : at;
    s.conditions = [...(s.conditions ?? []).filter((c) => c.type !== 'Progressing'), { type: 'Progressing', status: 'True', reason: COND.rsUpdated, message: `ReplicaSet "${name}" is progressing.`, lastUpdateTime: at, lastTransitionTime: kept }];
  } else if (hasTimedOut(d, s, now)) {
    setCondition(s, 'Progressing', 'False', COND.timedOut, `ReplicaSet "${name}" has timed out progressing.`, now);
  }
}

/** When a stuck rollout's deadline falls, to come back and mark it (upstream's requeueStuckDeployment). */
export function stuckRequeueMs(d: Deployment, s: DeploymentStatus, now: Date): number | undefined {
  const cond = getCondition(s, 'Progressing');
  const deadline = d.spec?.progressDeadlineSeconds;
  if (!cond || deadline === undefined || d.spec?.paused) return undefined;
  if (isComplete(d, s) || cond.reason === COND.timedOut || cond.reason === COND.newRSAvailable) return undefined;
  const due = Date.parse(cond.lastUpdateTime ?? '') + deadline * 1000 - now.getTime();
  return Math.max(0, due) + 1000;
}

import type { Job, JobCondition, JobStatus } from 'kubernetes-types/batch/v1.js';

/** Condition reasons and messages as upstream's Job controller writes them. */
export const REASON = {
  completionsReached: 'CompletionsReached',
  backoffLimitExceeded: 'BackoffLimitExceeded',
  deadlineExceeded: 'DeadlineExceeded',
  suspended: 'JobSuspended',
  resumed: 'JobResumed',
} as const;

export const MESSAGE = {
  completionsReached: 'Reached expected number of succeeded pods',
  backoffLimitExceeded: 'Job has reached the specified backoff limit',
  deadlineExceeded: 'Job was active longer than specified deadline',
  suspended: 'Job suspended',
  resumed: 'Job resumed',
} as const;

type ConditionType = 'Complete' | 'Failed' | 'SuccessCriteriaMet' | 'FailureTarget' | 'Suspended';

/** The condition of that type when its status is True. */
export function trueCondition(status: JobStatus | undefined, type: ConditionType): JobCondition | undefined {
  return status?.conditions?.find((c) => c.type === type && c.status === 'True');
}

/** True once the Job carries a terminal condition (Complete or Failed). */
export function isJobFinished(job: Job): boolean {
  return trueCondition(job.status, 'Complete') !== undefined || trueCondition(job.status, 'Failed') !== undefined;
}

/**
 * Sets a condition in place; the transition time moves only when the status flips, as upstream
 * does. Returns true when anything changed.
 */
export function setCondition(status: JobStatus, type: ConditionType, value: 'True' | 'False', reason: string, message: string, now: string): boolean {
  const conditions = (status.conditions ??= []);
  const existing = conditions.find((c) => c.type === type);
  if (!existing) {
    conditions.push({ type, status: value, reason, message, lastProbeTime: now, lastTransitionTime: now });
    return true;
  }
  if (existing.status === value && existing.reason === reason && existing.message === message) return false;
  if (existing.status !== value) existing.lastTransitionTime = now;
  existing.status = value;
  existing.reason = reason;
  existing.message = message;
  existing.lastProbeTime = now;
  return true;
}

/** RFC 3339 with second precision, as Kubernetes writes times. */
export function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

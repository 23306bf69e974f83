import type { Job } from 'kubernetes-types/batch/v1.js';
import { trueCondition } from './job-conditions.ts';

/**
 * Milliseconds until a finished Job's `ttlSecondsAfterFinished` expires (0: delete now), or
 * undefined when it has no TTL or has not finished (upstream ttl-after-finished controller).
 */
export function ttlRemainingMs(job: Job, now: Date): number | undefined {
  const ttl = job.spec?.ttlSecondsAfterFinished;
  if (ttl === undefined || ttl === null || job.metadata?.deletionTimestamp) return undefined;
  const finished = trueCondition(job.status, 'Complete') ?? trueCondition(job.status, 'Failed');
  if (!finished) return undefined;
  const at = Date.parse(job.status?.completionTime ?? finished.lastTransitionTime ?? '');
  if (Number.isNaN(at)) return 0;
  return Math.max(0, at + ttl * 1000 - now.getTime());
}

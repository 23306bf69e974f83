import type { Job, JobStatus } from 'kubernetes-types/batch/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { parseIndexes } from './completed-indexes.ts';
import { completionIndex, isReady, type Obj } from './job-pods.ts';

/** Pods to create (their completion index, undefined for NonIndexed Jobs) and pods to delete. */
export interface PodPlan {
  create: Array<number | undefined>;
  remove: Obj<Pod>[];
}

/**
 * Which active pods to delete first when there are too many: unscheduled, then not ready, then the
 * newest (upstream `ActivePodsWithRanks`, simplified).
 */
function deletionOrder(a: Pod, b: Pod): number {
  const rank = (p: Pod) => (p.spec?.nodeName ? 1 : 0) + (isReady(p) ? 2 : 0);
  return rank(a) - rank(b) || (b.metadata?.creationTimestamp ?? '').localeCompare(a.metadata?.creationTimestamp ?? '');
}

/** How many pods a NonIndexed Job should run now, given how many have succeeded. */
export function wantActive(job: Job, succeeded: number): number {
  const parallelism = job.spec?.parallelism ?? 1;
  const completions = job.spec?.completions;
  if (completions === undefined || completions === null) return succeeded > 0 ? 0 : parallelism;
  return Math.max(0, Math.min(parallelism, completions - succeeded));
}

/** The creates and deletes that bring the Job's active pods to what its spec and progress ask for. */
export function planPods(job: Job, active: Obj<Pod>[], status: JobStatus): PodPlan {
  if (job.spec?.completionMode === 'Indexed') return planIndexed(job, active, status);
  const want = wantActive(job, status.succeeded ?? 0);
  if (active.length > want) return { create: [], remove: [...active].sort(deletionOrder).slice(0, active.length - want) };
  return { create: Array.from({ length: want - active.length }, () => undefined), remove: [] };
}

function planIndexed(job: Job, active: Obj<Pod>[], status: JobStatus): PodPlan {
  const completions = job.spec?.completions ?? 0;
  const parallelism = job.spec?.parallelism ?? 1;
  const done = parseIndexes(status.completedIndexes);
  const remove: Obj<Pod>[] = [];
  const running = new Map<number, Obj<Pod>>();
  for (const pod of [...active].sort((a, b) => deletionOrder(b, a))) {
    const index = completionIndex(pod);
    // Out of range, already completed, or a duplicate of a better pod for the same index.
    if (index === undefined || index >= completions || done.has(index) || running.has(index)) remove.push(pod);
    else running.set(index, pod);
  }
  const slots = Math.max(0, parallelism - running.size);
  const create: number[] = [];
  for (let i = 0; i < completions && create.length < slots; i++) if (!done.has(i) && !running.has(i)) create.push(i);
  if (running.size > parallelism) remove.push(...[...running.values()].sort(deletionOrder).slice(0, running.size - parallelism));
  return { create, remove };
}

import type { Job, JobStatus } from 'kubernetes-types/batch/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { isNotFound } from '../../client/api-error.ts';
import type { KubeClient } from '../../client/kube-client.ts';
import { R } from '../../client/resource-ref.ts';
import { formatIndexes, parseIndexes } from './completed-indexes.ts';
import { completionIndex, isFinished, TRACKING_FINALIZER, type Obj } from './job-pods.ts';

type Outcome = 'succeeded' | 'failed' | 'uncounted';

/**
 * How a finished or deleted pod counts: Succeeded and Failed as their phase says; a pod deleted
 * before it finished counts as failed (it may be an orphan that never reaches Failed), except while
 * the Job is suspended, whose deletions are not failures.
 */
export function outcomeOf(pod: Pod, suspended: boolean): Outcome | undefined {
  if (pod.status?.phase === 'Succeeded') return 'succeeded';
  if (pod.status?.phase === 'Failed') return 'failed';
  if (!pod.metadata?.deletionTimestamp) return undefined;
  return suspended ? 'uncounted' : 'failed';
}

const hasFinalizer = (pod: Pod) => pod.metadata?.finalizers?.includes(TRACKING_FINALIZER) ?? false;

/**
 * Counts finished pods exactly once, as upstream does with `uncountedTerminatedPods`: their uids
 * are first recorded in status, then their tracking finalizers are removed, then they move into
 * `succeeded`/`failed` (and `completedIndexes`). Writes the first step; the caller's final status
 * write persists the last. Returns the Job as last written and the status to build on.
 */
export async function trackFinishedPods(client: KubeClient, job: Obj<Job>, pods: Obj<Pod>[]): Promise<{ job: Obj<Job>; status: JobStatus }> {
  const suspended = job.spec?.suspend === true;
  let status: JobStatus = structuredClone(job.status ?? {});
  const uncounted = { succeeded: [...(status.uncountedTerminatedPods?.succeeded ?? [])], failed: [...(status.uncountedTerminatedPods?.failed ?? [])] };
  const known = new Set([...uncounted.succeeded, ...uncounted.failed]);
  const release: Obj<Pod>[] = [];
  let recorded = false;
  for (const pod of pods.filter(hasFinalizer)) {
    const outcome = outcomeOf(pod, suspended);
    if (!outcome) continue;
    release.push(pod);
    const uid = pod.metadata?.uid ?? '';
    if (outcome === 'uncounted' || known.has(uid)) continue;
    uncounted[outcome].push(uid);
    recorded = true;
  }
  if (recorded) {
    status.uncountedTerminatedPods = uncounted;
    job = await client.updateStatus<Obj<Job>>(R.jobs, { ...job, status });
    status = structuredClone(job.status ?? {});
  }
  const released = new Set<string>();
  await Promise.all(release.map(async (p) => (await removeTrackingFinalizer(client, p)) && released.add(p.metadata?.uid ?? '')));
  moveToCounts(job, status, pods, released);
  return { job, status };
}

/** Moves uncounted uids whose pods are released (or gone) into the counts. */
function moveToCounts(job: Job, status: JobStatus, pods: Obj<Pod>[], released: Set<string>): void {
  const byUid = new Map(pods.map((p) => [p.metadata?.uid ?? '', p]));
  const done = (uid: string) => released.has(uid) || !byUid.has(uid) || !hasFinalizer(byUid.get(uid) ?? {});
  const uncounted = status.uncountedTerminatedPods ?? {};
  const succeeded = (uncounted.succeeded ?? []).filter(done);
  const failed = (uncounted.failed ?? []).filter(done);
  if (succeeded.length === 0 && failed.length === 0) return;
  if (job.spec?.completionMode === 'Indexed') {
    const indexes = parseIndexes(status.completedIndexes);
    for (const uid of succeeded) {
      const index = completionIndex(byUid.get(uid) ?? {});
      if (index !== undefined && index < (job.spec.completions ?? 0)) indexes.add(index);
    }
    status.completedIndexes = formatIndexes(indexes);
    status.succeeded = indexes.size;
  } else status.succeeded = (status.succeeded ?? 0) + succeeded.length;
  status.failed = (status.failed ?? 0) + failed.length;
  status.uncountedTerminatedPods = {
    succeeded: (uncounted.succeeded ?? []).filter((u) => !succeeded.includes(u)),
    failed: (uncounted.failed ?? []).filter((u) => !failed.includes(u)),
  };
}

/** Removes the tracking finalizer (a JSON patch guarded by `test`, so others' finalizers survive). */
export async function removeTrackingFinalizer(client: KubeClient, pod: Pod): Promise<boolean> {
  const i = pod.metadata?.finalizers?.indexOf(TRACKING_FINALIZER) ?? -1;
  if (i < 0) return true;
  const path = `/metadata/finalizers/${i}`;
  try {
    await client.patch(R.pods, pod.metadata?.namespace, pod.metadata?.name ?? '', 'json', [
      { op: 'test', path, value: TRACKING_FINALIZER },
      { op: 'remove', path },
    ]);
    return true;
  } catch (err) {
    if (isNotFound(err)) return true;
    throw err;
  }
}

/** True when a pod is finished or on its way out (it no longer occupies an active slot). */
export const isGoingAway = (pod: Pod): boolean => isFinished(pod) || pod.metadata?.deletionTimestamp !== undefined;

import type { CronJob, Job } from 'kubernetes-types/batch/v1.js';
import { isNotFound } from '../../client/api-error.ts';
import type { KubeClient } from '../../client/kube-client.ts';
import { R } from '../../client/resource-ref.ts';
import type { EventRecorder } from '../../controller/event-recorder.ts';

const startOf = (j: Job) => Date.parse(j.status?.startTime ?? j.metadata?.creationTimestamp ?? '') || 0;
const hasCondition = (j: Job, type: string) => j.status?.conditions?.some((c) => c.type === type && c.status === 'True') ?? false;

/**
 * Deletes the oldest finished Jobs beyond `successfulJobsHistoryLimit` (default 3) and
 * `failedJobsHistoryLimit` (default 1), in the background so their pods go too.
 */
export async function pruneHistory(client: KubeClient, recorder: EventRecorder, cj: CronJob, jobs: Job[]): Promise<void> {
  const excess = (type: string, limit: number) => jobs.filter((j) => hasCondition(j, type) && !j.metadata?.deletionTimestamp).sort((a, b) => startOf(b) - startOf(a)).slice(limit);
  const doomed = [...excess('Complete', cj.spec?.successfulJobsHistoryLimit ?? 3), ...excess('Failed', cj.spec?.failedJobsHistoryLimit ?? 1)];
  for (const job of doomed) {
    await client.delete(R.jobs, job.metadata?.namespace, job.metadata?.name ?? '', { propagationPolicy: 'Background' }).catch((err: unknown) => {
      if (!isNotFound(err)) throw err;
    });
    recorder.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${job.metadata?.name ?? ''}`);
  }
}

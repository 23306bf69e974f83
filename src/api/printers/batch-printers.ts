import type { CronJob, Job, JobCondition } from 'kubernetes-types/batch/v1.js';
import type { TablePrinter } from '../resource-definition.ts';
import { ageColumn, column, containerColumns, nameColumn, wideColumn } from './columns.ts';
import { ageOf, asKind, boolPtrString, formatLabelSelector, layoutContainerCells, nameOf } from './format.ts';
import { humanDuration, parseTimestamp, translateTimestampSince } from './human-duration.ts';

const SELECTOR_DESCRIPTION = 'A label query over pods that should match the pod count. Normally, the system sets this field for you.';

/** The status of the first condition of a type, as upstream's `hasJobCondition`. */
function hasCondition(conditions: JobCondition[] | undefined, type: string): boolean {
  return (conditions ?? []).find((c) => c.type === type)?.status === 'True';
}

function jobStatus(job: Job): string {
  const conditions = job.status?.conditions;
  if (hasCondition(conditions, 'Complete')) return 'Complete';
  if (hasCondition(conditions, 'Failed')) return 'Failed';
  if (job.metadata?.deletionTimestamp !== undefined) return 'Terminating';
  if (hasCondition(conditions, 'Suspended')) return 'Suspended';
  if (hasCondition(conditions, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

function completions(job: Job): string {
  const succeeded = job.status?.succeeded ?? 0;
  if (job.spec?.completions !== undefined) return `${succeeded}/${job.spec.completions}`;
  const parallelism = job.spec?.parallelism ?? 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function jobDuration(job: Job, now: Date): string {
  const start = parseTimestamp(job.status?.startTime);
  if (start === undefined) return '';
  const end = parseTimestamp(job.status?.completionTime) ?? now.getTime();
  return humanDuration(end - start);
}

/** Jobs: NAME STATUS COMPLETIONS DURATION AGE, wide CONTAINERS IMAGES SELECTOR. */
export const jobPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Status', 'Status of the job.'),
    column('Completions', 'The number of pods which reached phase Succeeded.'),
    column('Duration', 'Time required to complete the job.'),
    ageColumn(),
    ...containerColumns(),
    wideColumn('Selector', SELECTOR_DESCRIPTION),
  ],
  cells(obj, now) {
    const job = asKind<Job>(obj);
    const [names, images] = layoutContainerCells(job.spec?.template?.spec?.containers);
    return [nameOf(job), jobStatus(job), completions(job), jobDuration(job, now), ageOf(job, now), names, images, formatLabelSelector(job.spec?.selector)];
  },
};

/** CronJobs: NAME SCHEDULE TIMEZONE SUSPEND ACTIVE LAST SCHEDULE AGE, wide CONTAINERS IMAGES SELECTOR. */
export const cronJobPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Schedule', 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.'),
    column('Timezone', 'The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones.'),
    column('Suspend', 'This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.  Defaults to false.', { type: 'boolean' }),
    column('Active', 'A list of pointers to currently running jobs.', { type: 'integer' }),
    column('Last Schedule', 'Information when was the last time the job was successfully scheduled.'),
    ageColumn(),
    ...containerColumns(),
    wideColumn('Selector', SELECTOR_DESCRIPTION),
  ],
  cells(obj, now) {
    const cj = asKind<CronJob>(obj);
    const lastSchedule = cj.status?.lastScheduleTime === undefined ? '<none>' : translateTimestampSince(cj.status.lastScheduleTime, now);
    const jobSpec = cj.spec?.jobTemplate?.spec;
    const [names, images] = layoutContainerCells(jobSpec?.template?.spec?.containers);
    return [
      nameOf(cj),
      cj.spec?.schedule ?? '',
      cj.spec?.timeZone ?? '<none>',
      boolPtrString(cj.spec?.suspend),
      (cj.status?.active ?? []).length,
      lastSchedule,
      ageOf(cj, now),
      names,
      images,
      formatLabelSelector(jobSpec?.selector),
    ];
  },
};

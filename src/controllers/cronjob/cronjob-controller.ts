import type { CronJob, CronJobStatus, Job } from 'kubernetes-types/batch/v1.js';
import type { ObjectReference } from 'kubernetes-types/core/v1.js';
import { isDeepStrictEqual } from 'node:util';
import { isAlreadyExists, isNotFound } from '../../client/api-error.ts';
import { R } from '../../client/resource-ref.ts';
import type { EventRecorder } from '../../controller/event-recorder.ts';
import { ownerRequest, selfRequest, type Reconciler, type Request, type Result } from '../../controller/reconciler.ts';
import type { ControllerContext, ControllerFactory } from '../controller-context.ts';
import { CronParseError, isValidTimeZone, parseCron, type CronSchedule } from '../../api/cron/cron-schedule.ts';
import { dueTime, jobNameFor, MANY_MISSED } from './schedule-times.ts';
import { pruneHistory } from './job-history.ts';

/** Annotation carrying the time a CronJob's Job was scheduled for. */
export const SCHEDULED_TIMESTAMP = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

/** Event reasons the CronJob controller records (upstream's). */
export const EVENT = {
  successfulCreate: 'SuccessfulCreate',
  failedCreate: 'FailedCreate',
  successfulDelete: 'SuccessfulDelete',
  sawCompletedJob: 'SawCompletedJob',
  missSchedule: 'MissSchedule',
  tooManyMissedTimes: 'TooManyMissedTimes',
  jobAlreadyActive: 'JobAlreadyActive',
  unparseableSchedule: 'UnparseableSchedule',
  unknownTimeZone: 'UnknownTimeZone',
} as const;

const rfc3339 = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
/** Requeue a little after the next schedule time so it is due when we look (upstream adds 100 ms). */
const NEXT_SLACK_MS = 100;

const finished = (job: Job) => job.status?.conditions?.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');

/**
 * Creates a CronJob's Jobs on schedule (upstream cronjob-controller v2): time zones, concurrency
 * policy Allow/Forbid/Replace, startingDeadlineSeconds, suspend, history limits, and the status
 * fields `kubectl get cronjob` shows. Time comes from the injected clock.
 */
export class CronJobReconciler implements Reconciler {
  private readonly recorder: EventRecorder;

  constructor(private readonly ctx: ControllerContext) {
    this.recorder = ctx.recorder('cronjob-controller');
  }

  async reconcile(req: Request): Promise<Result | void> {
    const cached = this.ctx.informers.for<CronJob>(R.cronjobs).get(`${req.namespace ?? ''}/${req.name}`);
    if (!cached) return;
    const cj = structuredClone(cached);
    const jobs = this.ctx.informers.for<Job>(R.jobs).byNamespace(req.namespace ?? '').filter((j) => j.metadata?.ownerReferences?.some((o) => o.controller && o.uid === cj.metadata?.uid));
    const status: CronJobStatus = structuredClone(cj.status ?? {});
    this.syncActive(cj, status, jobs);
    const result = cj.metadata?.deletionTimestamp ? undefined : await this.schedule(cj, status, jobs);
    if (!isDeepStrictEqual(status, cj.status ?? {})) await this.ctx.client.updateStatus(R.cronjobs, { ...cj, status });
    await pruneHistory(this.ctx.client, this.recorder, cj, jobs);
    return result;
  }

  /** Drops finished or vanished Jobs from `status.active` and records the last success. */
  private syncActive(cj: CronJob, status: CronJobStatus, jobs: Job[]): void {
    const byUid = new Map(jobs.map((j) => [j.metadata?.uid ?? '', j]));
    status.active = (status.active ?? []).filter((ref) => {
      const job = byUid.get(ref.uid ?? '');
      if (job && finished(job)) this.recorder.event(cj, 'Normal', EVENT.sawCompletedJob, `Saw completed job: ${job.metadata?.name ?? ''}, condition: ${finished(job)?.type ?? ''}`);
      return job !== undefined && !finished(job);
    });
    for (const job of jobs) {
      const done = finished(job);
      if (!done && !status.active.some((r) => r.uid === job.metadata?.uid)) status.active.push(refOf(job));
      if (done?.type !== 'Complete') continue;
      const at = job.status?.completionTime ?? done.lastTransitionTime;
      if (at && (!status.lastSuccessfulTime || Date.parse(at) > Date.parse(status.lastSuccessfulTime))) status.lastSuccessfulTime = at;
    }
    if (status.active.length === 0) delete status.active;
  }

  private parse(cj: CronJob): { schedule: CronSchedule; zone: string } | undefined {
    try {
      const schedule = parseCron(cj.spec?.schedule ?? '');
      const zone = cj.spec?.timeZone ?? schedule.timeZone ?? 'UTC';
      if (!isValidTimeZone(zone)) {
        this.recorder.event(cj, 'Warning', EVENT.unknownTimeZone, `invalid timeZone: "${zone}"`);
        return undefined;
      }
      return { schedule, zone };
    } catch (err) {
      if (!(err instanceof CronParseError)) throw err;
      this.recorder.event(cj, 'Warning', EVENT.unparseableSchedule, `unparseable schedule: "${cj.spec?.schedule ?? ''}" : ${err.message}`);
      return undefined;
    }
  }

  /** Starts the Job that is due, if any and allowed; says when to look again. */
  private async schedule(cj: CronJob, status: CronJobStatus, jobs: Job[]): Promise<Result | void> {
    const parsed = this.parse(cj);
    if (!parsed || cj.spec?.suspend) return;
    const now = this.ctx.clock.now();
    const next = parsed.schedule.next(now, parsed.zone);
    const again: Result | undefined = next ? { requeueAfterMs: next.getTime() - now.getTime() + NEXT_SLACK_MS } : undefined;
    const { scheduled, missed } = dueTime({ ...cj, status }, parsed.schedule, parsed.zone, now);
    if (!scheduled) return again;
    if (missed > MANY_MISSED) this.recorder.event(cj, 'Warning', EVENT.tooManyMissedTimes, `too many missed start times: ${missed}. Set or decrease .spec.startingDeadlineSeconds or check clock skew`);
    const deadline = cj.spec?.startingDeadlineSeconds;
    if (deadline !== undefined && deadline !== null && scheduled.getTime() + deadline * 1000 < now.getTime()) {
      this.recorder.event(cj, 'Warning', EVENT.missSchedule, `Missed scheduled time to start a job: ${scheduled.toUTCString()}`);
      return again;
    }
    const name = jobNameFor(cj.metadata?.name ?? '', scheduled);
    if (jobs.some((j) => j.metadata?.name === name)) return again;
    const policy = cj.spec?.concurrencyPolicy ?? 'Allow';
    if (policy === 'Forbid' && (status.active ?? []).length > 0) {
      this.recorder.event(cj, 'Normal', EVENT.jobAlreadyActive, 'Not starting job because prior execution is running and concurrency policy is Forbid');
      return again;
    }
    if (policy === 'Replace') await this.replaceActive(cj, status);
    const job = await this.createJob(cj, name, scheduled);
    if (!job) return again;
    status.active = [...(status.active ?? []).filter((r) => r.uid !== job.metadata?.uid), refOf(job)];
    status.lastScheduleTime = rfc3339(scheduled);
    return again;
  }

  private async replaceActive(cj: CronJob, status: CronJobStatus): Promise<void> {
    for (const ref of status.active ?? []) {
      await this.ctx.client.delete(R.jobs, ref.namespace, ref.name ?? '', { propagationPolicy: 'Background' }).catch((err: unknown) => {
        if (!isNotFound(err)) throw err;
      });
      this.recorder.event(cj, 'Normal', EVENT.successfulDelete, `Deleted job ${ref.name ?? ''}`);
    }
    status.active = [];
  }

  private async createJob(cj: CronJob, name: string, scheduled: Date): Promise<Job | undefined> {
    const template = structuredClone(cj.spec?.jobTemplate ?? {});
    const body = {
      metadata: {
        name,
        namespace: cj.metadata?.namespace,
        labels: template.metadata?.labels ?? {},
        annotations: { ...(template.metadata?.annotations ?? {}), [SCHEDULED_TIMESTAMP]: rfc3339(scheduled) },
        ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: cj.metadata?.name ?? '', uid: cj.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true }],
      },
      spec: template.spec,
    };
    try {
      const job = await this.ctx.client.create<Job>(R.jobs, body);
      this.recorder.event(cj, 'Normal', EVENT.successfulCreate, `Created job ${name}`);
      return job;
    } catch (err) {
      if (isAlreadyExists(err)) return undefined;
      this.recorder.event(cj, 'Warning', EVENT.failedCreate, `Error creating job: ${err instanceof Error ? err.message : String(err)}`);
      throw err;
    }
  }
}

function refOf(job: Job): ObjectReference {
  return { apiVersion: 'batch/v1', kind: 'Job', name: job.metadata?.name, namespace: job.metadata?.namespace, uid: job.metadata?.uid, resourceVersion: job.metadata?.resourceVersion };
}

/** Factory registered as `cronjob`. */
export const createCronJobController: ControllerFactory = (ctx) => ({
  name: 'cronjob',
  reconciler: new CronJobReconciler(ctx),
  watches: [
    { informer: ctx.informers.for(R.cronjobs), toRequests: selfRequest },
    { informer: ctx.informers.for(R.jobs), toRequests: (job) => ownerRequest(job, 'CronJob') },
  ],
});

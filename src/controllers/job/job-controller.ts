import { isDeepStrictEqual } from 'node:util';
import type { ObjectLike } from '../../api/types.ts';
import type { Job, JobStatus } from 'kubernetes-types/batch/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { isNotFound } from '../../client/api-error.ts';
import { objectKey } from '../../client/informer.ts';
import { R } from '../../client/resource-ref.ts';
import type { EventRecorder } from '../../controller/event-recorder.ts';
import type { Reconciler, Request, Result } from '../../controller/reconciler.ts';
import type { ControllerContext, ControllerFactory } from '../controller-context.ts';
import { PodExpectations } from './expectations.ts';
import { isJobFinished, MESSAGE, REASON, rfc3339, setCondition, trueCondition } from './job-conditions.ts';
import { finishedAt, isActive, isFinished, isReady, ownedBy, podForJob, type Obj } from './job-pods.ts';
import { planPods } from './pod-plan.ts';
import { removeTrackingFinalizer, trackFinishedPods } from './pod-tracking.ts';
import { ttlRemainingMs } from './ttl.ts';

/** Event reasons the Job controller records. */
export const EVENT = {
  successfulCreate: 'SuccessfulCreate',
  failedCreate: 'FailedCreate',
  successfulDelete: 'SuccessfulDelete',
  completed: 'Completed',
  suspended: 'Suspended',
  resumed: 'Resumed',
} as const;

/** Timing knobs; tests shrink them. */
export interface JobControllerOptions {
  /** First delay before recreating a failed pod (upstream: 10 s), doubled per further failure. */
  backoffBaseMs?: number;
  /** Longest delay between recreations (upstream: 6 min). */
  backoffMaxMs?: number;
}

interface Failure {
  reason: string;
  message: string;
}

/**
 * Runs a Job's pods to completion as upstream's Job controller does: completions and parallelism
 * (NonIndexed and Indexed), backoffLimit with exponential backoff between recreations,
 * activeDeadlineSeconds, suspend, pod tracking with finalizers, the interim SuccessCriteriaMet /
 * FailureTarget conditions before Complete / Failed, and ttlSecondsAfterFinished.
 */
export class JobReconciler implements Reconciler {
  private readonly expectations: PodExpectations;
  private readonly recorder: EventRecorder;
  private readonly backoffBaseMs: number;
  private readonly backoffMaxMs: number;
  private readonly firstSeenFinished = new Map<string, number>();

  constructor(
    private readonly ctx: ControllerContext,
    opts: JobControllerOptions = {},
  ) {
    this.expectations = new PodExpectations(ctx.clock);
    this.recorder = ctx.recorder('job-controller');
    this.backoffBaseMs = opts.backoffBaseMs ?? 10_000;
    this.backoffMaxMs = opts.backoffMaxMs ?? 360_000;
  }

  private get pods() {
    return this.ctx.informers.for<Obj<Pod>>(R.pods);
  }

  async reconcile(req: Request): Promise<Result | void> {
    const key = `${req.namespace ?? ''}/${req.name}`;
    const cached = this.ctx.informers.for<Obj<Job>>(R.jobs).get(key);
    if (!cached) {
      this.expectations.forget(key);
      return this.releaseOrphans(req);
    }
    if (!this.expectations.satisfied(key, this.pods)) return;
    const pods = this.pods.byNamespace(req.namespace ?? '').filter((p) => ownedBy(p, cached));
    const { job, status } = await trackFinishedPods(this.ctx.client, cached, pods);
    if (isJobFinished(job)) return this.afterFinish(job, pods);
    const now = this.ctx.clock.now();
    const active = pods.filter(isActive);
    let requeue: number | undefined;
    if (job.spec?.suspend) await this.suspend(job, status, active, now);
    else {
      this.resume(job, status, now);
      requeue = await this.progress(job, status, pods, now);
    }
    await this.writeStatus(job, status, pods);
    return requeue === undefined ? undefined : { requeueAfterMs: requeue };
  }

  /** Drives a running Job: decides success or failure, else brings its pods to the wanted count. */
  private async progress(job: Obj<Job>, status: JobStatus, pods: Obj<Pod>[], now: Date): Promise<number | undefined> {
    const active = pods.filter(isActive);
    const failure = trueCondition(status, 'FailureTarget') ?? this.failure(job, status, now);
    if (failure) return this.fail(job, status, pods, { reason: failure.reason ?? '', message: failure.message ?? '' }, now);
    if (trueCondition(status, 'SuccessCriteriaMet') || this.succeeded(job, status, active)) return this.complete(job, status, pods, now);
    const plan = planPods(job, active, status);
    await this.deletePods(job, plan.remove);
    const deadline = this.deadlineRemainingMs(job, status, now);
    if (plan.create.length === 0 || job.metadata?.deletionTimestamp) return deadline;
    const wait = this.backoffRemainingMs(status, pods, now);
    if (wait > 0) return Math.min(wait, deadline ?? Infinity);
    await this.createPods(job, plan.create);
    return deadline;
  }

  private failure(job: Job, status: JobStatus, now: Date): Failure | undefined {
    const failed = (status.failed ?? 0) + (status.uncountedTerminatedPods?.failed?.length ?? 0);
    if (failed > (job.spec?.backoffLimit ?? 6)) return { reason: REASON.backoffLimitExceeded, message: MESSAGE.backoffLimitExceeded };
    if (this.deadlineRemainingMs(job, status, now) === 0) return { reason: REASON.deadlineExceeded, message: MESSAGE.deadlineExceeded };
    return undefined;
  }

  private succeeded(job: Job, status: JobStatus, active: Pod[]): boolean {
    const succeeded = (status.succeeded ?? 0) + (job.spec?.completionMode === 'Indexed' ? 0 : (status.uncountedTerminatedPods?.succeeded?.length ?? 0));
    const completions = job.spec?.completions;
    if (completions === undefined || completions === null) return succeeded > 0 && active.length === 0;
    return succeeded >= completions;
  }

  /** FailureTarget first; active pods are deleted; Failed once none is left running or terminating. */
  private async fail(job: Obj<Job>, status: JobStatus, pods: Obj<Pod>[], failure: Failure, now: Date): Promise<undefined> {
    const ts = rfc3339(now);
    if (setCondition(status, 'FailureTarget', 'True', failure.reason, failure.message, ts)) this.recorder.event(job, 'Warning', failure.reason, failure.message);
    await this.deletePods(job, pods.filter(isActive));
    if (pods.every(isFinished)) setCondition(status, 'Failed', 'True', failure.reason, failure.message, ts);
    return undefined;
  }

  /** SuccessCriteriaMet first; leftover pods are deleted; Complete once none is left. */
  private async complete(job: Obj<Job>, status: JobStatus, pods: Obj<Pod>[], now: Date): Promise<undefined> {
    const ts = rfc3339(now);
    setCondition(status, 'SuccessCriteriaMet', 'True', REASON.completionsReached, MESSAGE.completionsReached, ts);
    await this.deletePods(job, pods.filter(isActive));
    if (pods.every(isFinished)) {
      setCondition(status, 'Complete', 'True', REASON.completionsReached, MESSAGE.completionsReached, ts);
      status.completionTime = ts;
      this.recorder.event(job, 'Normal', EVENT.completed, 'Job completed');
    }
    return undefined;
  }

  private async suspend(job: Obj<Job>, status: JobStatus, active: Obj<Pod>[], now: Date): Promise<void> {
    await this.deletePods(job, active);
    if (setCondition(status, 'Suspended', 'True', REASON.suspended, MESSAGE.suspended, rfc3339(now))) this.recorder.event(job, 'Normal', EVENT.suspended, MESSAGE.suspended);
  }

  /** Starts the clock, or restarts it when a suspended Job resumes (as upstream does). */
  private resume(job: Obj<Job>, status: JobStatus, now: Date): void {
    if (trueCondition(status, 'Suspended')) {
      setCondition(status, 'Suspended', 'False', REASON.resumed, MESSAGE.resumed, rfc3339(now));
      this.recorder.event(job, 'Normal', EVENT.resumed, MESSAGE.resumed);
      status.startTime = rfc3339(now);
    }
    status.startTime ??= rfc3339(now);
  }

  /** 0 when activeDeadlineSeconds has passed, the time left otherwise, undefined without one. */
  private deadlineRemainingMs(job: Job, status: JobStatus, now: Date): number | undefined {
    const seconds = job.spec?.activeDeadlineSeconds;
    if (seconds === undefined || seconds === null || !status.startTime) return undefined;
    return Math.max(0, Date.parse(status.startTime) + seconds * 1000 - now.getTime());
  }

  /** Time left before another pod may replace a failed one: base·2^(failures−1), capped. */
  private backoffRemainingMs(status: JobStatus, pods: Pod[], now: Date): number {
    const finish = (p: Pod) => this.finishTime(p, now);
    const lastSuccess = Math.max(0, ...pods.filter((p) => p.status?.phase === 'Succeeded').map(finish));
    const failedTimes = pods.filter((p) => p.status?.phase === 'Failed' || (p.metadata?.deletionTimestamp && !isFinished(p))).map(finish);
    const recent = failedTimes.filter((t) => t >= lastSuccess);
    const failures = recent.length || (lastSuccess ? 0 : (status.failed ?? 0));
    if (failures === 0) return 0;
    const delay = Math.min(this.backoffBaseMs * 2 ** (failures - 1), this.backoffMaxMs);
    const last = recent.length ? Math.max(...recent) : now.getTime();
    return Math.max(0, last + delay - now.getTime());
  }

  /**
   * The pod's finish time: what it reports, but never before this controller first saw it finished
   * (pods report whole seconds, which would cut short backoffs below a few seconds).
   */
  private finishTime(pod: Pod, now: Date): number {
    const uid = pod.metadata?.uid ?? '';
    const seen = this.firstSeenFinished.get(uid) ?? now.getTime();
    this.firstSeenFinished.set(uid, seen);
    if (this.firstSeenFinished.size > 10_000) this.firstSeenFinished.delete(this.firstSeenFinished.keys().next().value ?? '');
    const said = finishedAt(pod)?.getTime();
    return said !== undefined && !Number.isNaN(said) ? Math.max(said, seen) : seen;
  }

  private async createPods(job: Obj<Job>, indexes: Array<number | undefined>): Promise<void> {
    const key = objectKey(job);
    await Promise.all(
      indexes.map(async (index) => {
        try {
          const pod = await this.ctx.client.create<Obj<Pod>>(R.pods, podForJob(job, index));
          this.expectations.expectCreate(key, objectKey(pod));
          this.recorder.event(job, 'Normal', EVENT.successfulCreate, `Created pod: ${pod.metadata?.name ?? ''}`);
        } catch (err) {
          this.recorder.event(job, 'Warning', EVENT.failedCreate, `Error creating: ${err instanceof Error ? err.message : String(err)}`);
          throw err;
        }
      }),
    );
  }

  private async deletePods(job: Obj<Job>, pods: Obj<Pod>[]): Promise<void> {
    const key = objectKey(job);
    await Promise.all(
      pods.map(async (pod) => {
        this.expectations.expectDelete(key, objectKey(pod));
        await this.ctx.client.delete(R.pods, pod.metadata?.namespace, pod.metadata?.name ?? '').catch((err: unknown) => {
          if (!isNotFound(err)) throw err;
        });
        this.recorder.event(job, 'Normal', EVENT.successfulDelete, `Deleted pod: ${pod.metadata?.name ?? ''}`);
      }),
    );
  }

  private async writeStatus(job: Obj<Job>, status: JobStatus, pods: Pod[]): Promise<void> {
    const active = pods.filter(isActive);
    status.active = active.length;
    status.ready = active.filter(isReady).length;
    status.terminating = pods.filter((p) => p.metadata?.deletionTimestamp && !isFinished(p)).length;
    status.uncountedTerminatedPods ??= {};
    if (isDeepStrictEqual(status, job.status ?? {})) return;
    await this.ctx.client.updateStatus(R.jobs, { ...job, status });
  }

  /** A finished Job keeps no pod running and, with a TTL, is deleted when it expires. */
  private async afterFinish(job: Obj<Job>, pods: Obj<Pod>[]): Promise<Result | void> {
    await this.deletePods(job, pods.filter(isActive));
    const remaining = ttlRemainingMs(job, this.ctx.clock.now());
    if (remaining === undefined) return;
    if (remaining > 0) return { requeueAfterMs: remaining };
    await this.ctx.client
      .delete(R.jobs, job.metadata?.namespace, job.metadata?.name ?? '', { propagationPolicy: 'Background', preconditions: { uid: job.metadata?.uid } })
      .catch((err: unknown) => {
        if (!isNotFound(err)) throw err;
      });
  }

  /** Pods whose Job is gone must not keep their tracking finalizer, or they could never go away. */
  private async releaseOrphans(req: Request): Promise<void> {
    const orphans = this.pods.byNamespace(req.namespace ?? '').filter((p) => p.metadata?.ownerReferences?.some((o) => o.controller && o.kind === 'Job' && o.name === req.name));
    await Promise.all(orphans.map((p) => removeTrackingFinalizer(this.ctx.client, p)));
  }
}

/** A Job controller factory with custom timing (tests shrink the backoff). */
export function jobControllerFactory(opts: JobControllerOptions = {}): ControllerFactory {
  return (ctx) => ({
    name: 'job',
    reconciler: new JobReconciler(ctx, opts),
    watches: [
      { informer: ctx.informers.for(R.jobs), toRequests: (j) => [{ namespace: j.metadata?.namespace, name: j.metadata?.name ?? '' }] },
      { informer: ctx.informers.for(R.pods), toRequests: (p) => jobOf(p) },
    ],
  });
}

function jobOf(pod: ObjectLike): Request[] {
  const owner = pod.metadata?.ownerReferences?.find((o) => o.controller && o.kind === 'Job' && o.apiVersion.startsWith('batch/'));
  return owner ? [{ namespace: pod.metadata?.namespace, name: owner.name }] : [];
}

/** Factory registered as `job`, with upstream's timing. */
export const createJobController: ControllerFactory = jobControllerFactory();

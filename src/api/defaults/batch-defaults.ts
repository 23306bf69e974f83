import type { CronJob, Job, JobSpec } from 'kubernetes-types/batch/v1.js';
import type { KubeObject } from '../types.ts';
import { defaultPodTemplateSpec } from './pod-defaults.ts';

const MAX_INT32 = 2147483647;

/** Labels upstream puts on a Job's pods so its generated selector finds them. */
export const JOB_CONTROLLER_UID_LABEL = 'batch.kubernetes.io/controller-uid';
export const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';
const LEGACY_CONTROLLER_UID_LABEL = 'controller-uid';
const LEGACY_JOB_NAME_LABEL = 'job-name';

/**
 * Job: completions and parallelism 1 when both unset, backoffLimit 6, NonIndexed, not suspended,
 * pod replacement policy, labels copied from the template. The selector needs the uid: see
 * {@link defaultJobSelector}.
 */
export function defaultJob(obj: KubeObject): void {
  const job = obj as Job;
  const spec = ((job.spec ??= {} as JobSpec));
  if (spec.completions === undefined && spec.parallelism === undefined) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  spec.parallelism ??= 1;
  spec.backoffLimit ??= spec.backoffLimitPerIndex !== undefined ? MAX_INT32 : 6;
  spec.completionMode ??= 'NonIndexed';
  spec.suspend ??= false;
  spec.podReplacementPolicy ??= spec.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed';
  for (const rule of spec.podFailurePolicy?.rules ?? []) {
    for (const pattern of rule.onPodConditions ?? []) pattern.status ??= 'True';
  }
  copyTemplateLabels(job);
  defaultPodTemplateSpec(spec.template);
}

function copyTemplateLabels(job: Job): void {
  const templateLabels = job.spec?.template?.metadata?.labels;
  const meta = (job.metadata ??= {});
  if (templateLabels && Object.keys(templateLabels).length > 0 && Object.keys(meta.labels ?? {}).length === 0) {
    meta.labels = { ...templateLabels };
  }
}

/**
 * Generates a Job's selector once its uid is known (call at create time, after assigning the uid and
 * before validating): unless `spec.manualSelector` is true, the template gets
 * `batch.kubernetes.io/controller-uid`, `batch.kubernetes.io/job-name`, `controller-uid` and
 * `job-name`, and the selector matches `batch.kubernetes.io/controller-uid`.
 */
export function defaultJobSelector(obj: KubeObject, uid: string): void {
  const job = obj as Job;
  const spec = (job.spec ??= {} as JobSpec);
  if (spec.manualSelector === true) return;
  const template = (spec.template ??= {});
  const templateMeta = (template.metadata ??= {});
  const name = job.metadata?.name ?? '';
  templateMeta.labels = {
    ...templateMeta.labels,
    [JOB_CONTROLLER_UID_LABEL]: uid,
    [JOB_NAME_LABEL]: name,
    [LEGACY_CONTROLLER_UID_LABEL]: uid,
    [LEGACY_JOB_NAME_LABEL]: name,
  };
  spec.selector ??= { matchLabels: { [JOB_CONTROLLER_UID_LABEL]: uid } };
  copyTemplateLabels(job);
}

/** CronJob: Allow, not suspended, keep 3 successful and 1 failed job; the job template's pod defaults. */
export function defaultCronJob(obj: KubeObject): void {
  const spec = ((obj as CronJob).spec ??= {} as NonNullable<CronJob['spec']>);
  spec.concurrencyPolicy ??= 'Allow';
  spec.suspend ??= false;
  spec.successfulJobsHistoryLimit ??= 3;
  spec.failedJobsHistoryLimit ??= 1;
  defaultPodTemplateSpec(spec.jobTemplate?.spec?.template);
}

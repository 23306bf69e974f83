import type { CronJob, Job, JobSpec } from 'kubernetes-types/batch/v1.js';
import type { FieldError, KubeObject } from '../types.ts';
import { immutable, jsonEqual, nonNegative, oneOf } from './common-rules.ts';
import { isValidTimeZone, parseCron } from '../cron/cron-schedule.ts';
import { invalid, required } from './field-errors.ts';
import { FieldPath } from './field-path.ts';
import { maxLengthError } from './name-rules.ts';
import { validatePodTemplateSpec } from './pod-validation.ts';
import { selectorImmutable, validateSelectorAndTemplate } from './workload-rules.ts';

const SPEC = FieldPath.root('spec');
const JOB_RESTART_POLICIES = ['OnFailure', 'Never'];
/** CronJob names leave room for the 11-character suffix of the Jobs they create. */
export const MAX_CRONJOB_NAME_LENGTH = 52;

/** The parts of a job spec every Job and CronJob job template shares. */
function validateJobSpecCommon(spec: JobSpec, path: FieldPath): FieldError[] {
  const errs = [
    ...nonNegative(spec.parallelism, path.child('parallelism')),
    ...nonNegative(spec.completions, path.child('completions')),
    ...nonNegative(spec.activeDeadlineSeconds, path.child('activeDeadlineSeconds')),
    ...nonNegative(spec.backoffLimit, path.child('backoffLimit')),
    ...nonNegative(spec.ttlSecondsAfterFinished, path.child('ttlSecondsAfterFinished')),
    ...oneOf(spec.completionMode, ['NonIndexed', 'Indexed'], path.child('completionMode')),
    ...oneOf(spec.podReplacementPolicy, ['TerminatingOrFailed', 'Failed'], path.child('podReplacementPolicy')),
  ];
  if (spec.completionMode === 'Indexed' && spec.completions === undefined) {
    errs.push(required(path.child('completions'), 'when completion mode is Indexed'));
  }
  return errs;
}

/** Job: counts, completion mode, selector/template with OnFailure|Never; selector and template immutable. */
export function validateJob(obj: KubeObject, old?: KubeObject): FieldError[] {
  const spec = (obj as Job).spec;
  if (!spec) return [required(SPEC)];
  const errs = [
    ...validateJobSpecCommon(spec, SPEC),
    ...validateSelectorAndTemplate(spec.selector, spec.template, SPEC, { kind: 'job', restartPolicies: JOB_RESTART_POLICIES }),
  ];
  const oldSpec = (old as Job | undefined)?.spec;
  if (!oldSpec) return errs;
  errs.push(...selectorImmutable(spec.selector, oldSpec.selector, SPEC));
  errs.push(...immutable(spec.completionMode, oldSpec.completionMode, SPEC.child('completionMode')));
  // Upstream lets a suspended job change scheduling directives; only a fully identical template is safe here.
  if (!(oldSpec.suspend === true && spec.suspend === true) && !jsonEqual(spec.template, oldSpec.template)) {
    errs.push(invalid(SPEC.child('template'), spec.template, 'field is immutable'));
  }
  if (spec.completionMode !== 'Indexed') errs.push(...immutable(spec.completions, oldSpec.completions, SPEC.child('completions')));
  return errs;
}

/** CronJob: schedule, time zone, policies, history limits, and the job template. */
export function validateCronJob(obj: KubeObject): FieldError[] {
  const cronJob = obj as CronJob;
  const spec = cronJob.spec;
  const errs: FieldError[] = [];
  const name = cronJob.metadata?.name ?? '';
  if (name.length > MAX_CRONJOB_NAME_LENGTH) errs.push(invalid(FieldPath.root('metadata', 'name'), name, maxLengthError(MAX_CRONJOB_NAME_LENGTH)));
  if (!spec) return [...errs, required(SPEC)];
  errs.push(...validateSchedule(spec.schedule, spec.timeZone));
  errs.push(...oneOf(spec.concurrencyPolicy, ['Allow', 'Forbid', 'Replace'], SPEC.child('concurrencyPolicy'), true));
  errs.push(...nonNegative(spec.startingDeadlineSeconds, SPEC.child('startingDeadlineSeconds')));
  errs.push(...nonNegative(spec.successfulJobsHistoryLimit, SPEC.child('successfulJobsHistoryLimit')));
  errs.push(...nonNegative(spec.failedJobsHistoryLimit, SPEC.child('failedJobsHistoryLimit')));
  const jobSpec = spec.jobTemplate?.spec;
  const jobPath = SPEC.child('jobTemplate', 'spec');
  if (!jobSpec) return [...errs, required(jobPath)];
  errs.push(...validateJobSpecCommon(jobSpec, jobPath));
  errs.push(...validatePodTemplateSpec(jobSpec.template, jobPath.child('template')));
  const policy = jobSpec.template?.spec?.restartPolicy;
  if (policy && !JOB_RESTART_POLICIES.includes(policy)) {
    errs.push(...oneOf(policy, JOB_RESTART_POLICIES, jobPath.child('template', 'spec', 'restartPolicy')));
  }
  return errs;
}

function validateSchedule(schedule: string | undefined, timeZone: string | undefined): FieldError[] {
  const path = SPEC.child('schedule');
  if (!schedule) return [required(path)];
  if (/(^|\s)(CRON_)?TZ=/.test(schedule)) return [invalid(path, schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead')];
  const errs: FieldError[] = [];
  try {
    parseCron(schedule);
  } catch (e) {
    errs.push(invalid(path, schedule, e instanceof Error ? e.message : String(e)));
  }
  if (timeZone !== undefined && !isKnownTimeZone(timeZone)) errs.push(invalid(SPEC.child('timeZone'), timeZone, `unknown time zone ${timeZone}`));
  return errs;
}

/** `Local` and the empty string are not allowed in a CronJob, even though the runtime knows them. */
function isKnownTimeZone(zone: string): boolean {
  return zone !== '' && zone.toLowerCase() !== 'local' && isValidTimeZone(zone);
}

/** apps/v1 Deployment and batch/v1 Job and CronJob (k8s.io.api.apps.v1, k8s.io.api.batch.v1). */
import {
  bool, int32, int32s, int64, intOrString, message, msg, msgs, ptr, str, strs, time,
} from '../schema.ts';
import { objectReference } from './core-refs.ts';
import { podTemplateSpec } from './core-pod.ts';
import { labelSelector, objectMeta } from './meta.ts';

export const rollingUpdateDeployment = message('apps/v1 RollingUpdateDeployment', {
  1: ptr(intOrString('maxUnavailable')),
  2: ptr(intOrString('maxSurge')),
});

export const deploymentStrategy = message('apps/v1 DeploymentStrategy', {
  1: str('type'),
  2: ptr(msg('rollingUpdate', () => rollingUpdateDeployment)),
});

export const deploymentSpec = message('apps/v1 DeploymentSpec', {
  1: ptr(int32('replicas')),
  2: ptr(msg('selector', () => labelSelector)),
  3: msg('template', () => podTemplateSpec),
  4: msg('strategy', () => deploymentStrategy),
  5: int32('minReadySeconds'),
  6: ptr(int32('revisionHistoryLimit')),
  7: bool('paused'),
  9: ptr(int32('progressDeadlineSeconds')),
});

export const deploymentCondition = message('apps/v1 DeploymentCondition', {
  1: str('type'),
  2: str('status'),
  6: time('lastUpdateTime'),
  7: time('lastTransitionTime'),
  4: str('reason'),
  5: str('message'),
});

export const deploymentStatus = message('apps/v1 DeploymentStatus', {
  1: int64('observedGeneration'),
  2: int32('replicas'),
  3: int32('updatedReplicas'),
  7: int32('readyReplicas'),
  4: int32('availableReplicas'),
  5: int32('unavailableReplicas'),
  9: ptr(int32('terminatingReplicas')),
  6: msgs('conditions', () => deploymentCondition),
  8: ptr(int32('collisionCount')),
});

export const deployment = message('apps/v1 Deployment', {
  1: msg('metadata', () => objectMeta),
  2: msg('spec', () => deploymentSpec),
  3: msg('status', () => deploymentStatus),
});

export const podFailurePolicyRule = message('batch/v1 PodFailurePolicyRule', {
  1: str('action'),
  2: ptr(msg('onExitCodes', () => message('batch/v1 PodFailurePolicyOnExitCodesRequirement', {
    1: ptr(str('containerName')),
    2: str('operator'),
    3: int32s('values'),
  }))),
  3: msgs('onPodConditions', () => message('batch/v1 PodFailurePolicyOnPodConditionsPattern', {
    1: str('type'),
    2: str('status'),
  })),
});

export const successPolicyRule = message('batch/v1 SuccessPolicyRule', {
  1: ptr(str('succeededIndexes')),
  2: ptr(int32('succeededCount')),
});

export const jobSpec = message('batch/v1 JobSpec', {
  1: ptr(int32('parallelism')),
  2: ptr(int32('completions')),
  3: ptr(int64('activeDeadlineSeconds')),
  11: ptr(msg('podFailurePolicy', () => message('batch/v1 PodFailurePolicy', {
    1: msgs('rules', () => podFailurePolicyRule),
  }))),
  16: ptr(msg('successPolicy', () => message('batch/v1 SuccessPolicy', {
    1: msgs('rules', () => successPolicyRule),
  }))),
  7: ptr(int32('backoffLimit')),
  12: ptr(int32('backoffLimitPerIndex')),
  13: ptr(int32('maxFailedIndexes')),
  4: ptr(msg('selector', () => labelSelector)),
  5: ptr(bool('manualSelector')),
  6: msg('template', () => podTemplateSpec),
  8: ptr(int32('ttlSecondsAfterFinished')),
  9: ptr(str('completionMode')),
  10: ptr(bool('suspend')),
  14: ptr(str('podReplacementPolicy')),
  15: ptr(str('managedBy')),
});

export const jobCondition = message('batch/v1 JobCondition', {
  1: str('type'),
  2: str('status'),
  3: time('lastProbeTime'),
  4: time('lastTransitionTime'),
  5: str('reason'),
  6: str('message'),
});

export const jobStatus = message('batch/v1 JobStatus', {
  1: msgs('conditions', () => jobCondition),
  2: ptr(time('startTime')),
  3: ptr(time('completionTime')),
  4: int32('active'),
  5: int32('succeeded'),
  6: int32('failed'),
  11: ptr(int32('terminating')),
  7: str('completedIndexes'),
  10: ptr(str('failedIndexes')),
  8: ptr(msg('uncountedTerminatedPods', () => message('batch/v1 UncountedTerminatedPods', {
    1: strs('succeeded'),
    2: strs('failed'),
  }))),
  9: ptr(int32('ready')),
});

export const job = message('batch/v1 Job', {
  1: msg('metadata', () => objectMeta),
  2: msg('spec', () => jobSpec),
  3: msg('status', () => jobStatus),
});

export const jobTemplateSpec = message('batch/v1 JobTemplateSpec', {
  1: msg('metadata', () => objectMeta),
  2: msg('spec', () => jobSpec),
});

export const cronJobSpec = message('batch/v1 CronJobSpec', {
  1: str('schedule'),
  8: ptr(str('timeZone')),
  2: ptr(int64('startingDeadlineSeconds')),
  3: str('concurrencyPolicy'),
  4: ptr(bool('suspend')),
  5: msg('jobTemplate', () => jobTemplateSpec),
  6: ptr(int32('successfulJobsHistoryLimit')),
  7: ptr(int32('failedJobsHistoryLimit')),
});

export const cronJob = message('batch/v1 CronJob', {
  1: msg('metadata', () => objectMeta),
  2: msg('spec', () => cronJobSpec),
  3: msg('status', () => message('batch/v1 CronJobStatus', {
    1: msgs('active', () => objectReference),
    4: ptr(time('lastScheduleTime')),
    5: ptr(time('lastSuccessfulTime')),
  })),
});

import type { Job } from 'kubernetes-types/batch/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/types.ts';

/** A kubernetes-types object as the informers hold it. */
export type Obj<T> = T & KubeObject;

/** Finalizer that keeps a Job's pods until the controller has counted them. */
export const TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';
/** Annotation and label carrying an Indexed Job pod's index. */
export const COMPLETION_INDEX = 'batch.kubernetes.io/job-completion-index';
export const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';
export const CONTROLLER_UID_LABEL = 'batch.kubernetes.io/controller-uid';

/** True once the pod can no longer run: Succeeded or Failed. */
export function isFinished(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

/** Running or pending and not on its way out: what `status.active` counts. */
export function isActive(pod: Pod): boolean {
  return !isFinished(pod) && !pod.metadata?.deletionTimestamp;
}

export function isReady(pod: Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** The pod's completion index, or undefined for non-Indexed Jobs or a malformed annotation. */
export function completionIndex(pod: Pod): number | undefined {
  const text = pod.metadata?.annotations?.[COMPLETION_INDEX] ?? pod.metadata?.labels?.[COMPLETION_INDEX];
  const index = Number(text);
  return text !== undefined && text !== '' && Number.isInteger(index) && index >= 0 ? index : undefined;
}

/** True when the Job has a controller reference to this pod's owner uid. */
export function ownedBy(pod: Pod, job: Job): boolean {
  return pod.metadata?.ownerReferences?.some((o) => o.controller && o.uid === job.metadata?.uid) ?? false;
}

/**
 * When the pod finished, as upstream reads it: its latest container termination, else when its Ready
 * condition turned False, else its deletion time; undefined when the pod says nothing.
 */
export function finishedAt(pod: Pod): Date | undefined {
  const times = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])]
    .map((s) => s.state?.terminated?.finishedAt)
    .filter((t): t is string => typeof t === 'string')
    .map((t) => Date.parse(t));
  if (times.length) return new Date(Math.max(...times));
  const notReady = pod.status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'False')?.lastTransitionTime;
  const fallback = notReady ?? pod.metadata?.deletionTimestamp;
  return fallback ? new Date(Date.parse(fallback)) : undefined;
}

/**
 * The pod the Job's template calls for (upstream `GetPodFromTemplate` plus the Job's additions): the
 * tracking finalizer, a controller reference, and for Indexed Jobs the index annotation and label,
 * the `<job>-<index>` hostname and the JOB_COMPLETION_INDEX variable the kubelet resolves.
 */
export function podForJob(job: Obj<Job>, index: number | undefined): Obj<Pod> {
  const template = structuredClone(job.spec?.template ?? {});
  const name = job.metadata?.name ?? '';
  const labels = { ...(template.metadata?.labels ?? {}) };
  const annotations = { ...(template.metadata?.annotations ?? {}) };
  const spec = template.spec ?? { containers: [] };
  if (index !== undefined) {
    labels[COMPLETION_INDEX] = String(index);
    annotations[COMPLETION_INDEX] = String(index);
    spec.hostname ??= `${name}-${index}`;
    for (const c of [...spec.containers, ...(spec.initContainers ?? [])]) {
      if (c.env?.some((e) => e.name === 'JOB_COMPLETION_INDEX')) continue;
      c.env = [...(c.env ?? []), { name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${COMPLETION_INDEX}']` } } }];
    }
  }
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: index === undefined ? `${name}-` : `${name}-${index}-`,
      namespace: job.metadata?.namespace,
      labels,
      ...(Object.keys(annotations).length ? { annotations } : {}),
      finalizers: [TRACKING_FINALIZER],
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name, uid: job.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true }],
    },
    spec,
  };
}

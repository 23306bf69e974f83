import type { StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { PersistentVolumeClaim, Pod, PodTemplateSpec, Volume } from 'kubernetes-types/core/v1.js';
import { controllerRefTo } from '../workload-common/owner-refs.ts';
import { podFromTemplate } from '../workload-common/pod-template.ts';
import { CONTROLLER_REVISION_HASH } from '../workload-common/controller-revisions.ts';

export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';

/** The ordinal in `<set>-<ordinal>`, or undefined when the pod is not a member of the set. */
export function ordinalOf(set: StatefulSet, pod: Pod): number | undefined {
  const prefix = `${set.metadata?.name ?? ''}-`;
  const name = pod.metadata?.name ?? '';
  if (!name.startsWith(prefix)) return undefined;
  const rest = name.slice(prefix.length);
  return /^(0|[1-9]\d*)$/.test(rest) ? Number(rest) : undefined;
}

export const podName = (set: StatefulSet, ordinal: number): string => `${set.metadata?.name ?? ''}-${ordinal}`;

/** `<claim template>-<set>-<ordinal>`: the claim a given ordinal always gets back. */
export const claimName = (claim: string, set: StatefulSet, ordinal: number): string => `${claim}-${podName(set, ordinal)}`;

/** The claims an ordinal needs, as they are created (labels from the template and the selector). */
export function claimsFor(set: StatefulSet, ordinal: number): PersistentVolumeClaim[] {
  const deleteWithSet = set.spec?.persistentVolumeClaimRetentionPolicy?.whenDeleted === 'Delete';
  return (set.spec?.volumeClaimTemplates ?? []).map((t) => ({
    metadata: {
      name: claimName(t.metadata?.name ?? '', set, ordinal),
      namespace: set.metadata?.namespace,
      labels: { ...(t.metadata?.labels ?? {}), ...(set.spec?.selector?.matchLabels ?? {}) },
      ...(t.metadata?.annotations ? { annotations: t.metadata.annotations } : {}),
      ...(deleteWithSet ? { ownerReferences: [{ ...controllerRefTo(set, 'apps/v1', 'StatefulSet'), controller: false }] } : {}),
    },
    spec: structuredClone(t.spec ?? {}),
  }));
}

/**
 * The pod for an ordinal from a revision's template: stable name and hostname, the identity
 * labels, and a volume per claim template bound to that ordinal's claim.
 */
export function newStatefulPod(set: StatefulSet, ordinal: number, template: PodTemplateSpec, revisionName: string): Pod {
  const name = podName(set, ordinal);
  const pod = podFromTemplate(template, {
    namespace: set.metadata?.namespace ?? '',
    name,
    ownerRef: controllerRefTo(set, 'apps/v1', 'StatefulSet'),
    extraLabels: { [POD_NAME_LABEL]: name, [POD_INDEX_LABEL]: String(ordinal), [CONTROLLER_REVISION_HASH]: revisionName },
  });
  const spec = pod.spec ?? { containers: [] };
  spec.hostname = name;
  if (set.spec?.serviceName) spec.subdomain = set.spec.serviceName;
  const claimVolumes: Volume[] = (set.spec?.volumeClaimTemplates ?? []).map((t) => ({ name: t.metadata?.name ?? '', persistentVolumeClaim: { claimName: claimName(t.metadata?.name ?? '', set, ordinal) } }));
  const names = new Set(claimVolumes.map((v) => v.name));
  spec.volumes = [...(spec.volumes ?? []).filter((v) => !names.has(v.name)), ...claimVolumes];
  if (spec.volumes.length === 0) delete spec.volumes;
  pod.spec = spec;
  return pod;
}

export const revisionOfPod = (pod: Pod): string | undefined => pod.metadata?.labels?.[CONTROLLER_REVISION_HASH];

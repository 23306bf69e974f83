import type { DaemonSet } from 'kubernetes-types/apps/v1.js';
import type { NodeSelectorTerm, Pod, PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import { CONTROLLER_REVISION_HASH } from '../workload-common/controller-revisions.ts';
import { controllerRefTo } from '../workload-common/owner-refs.ts';
import { podFromTemplate } from '../workload-common/pod-template.ts';
import { defaultDaemonTolerations } from './node-eligibility.ts';

/**
 * The pod for one node: the template plus the default daemon tolerations and a required node
 * affinity on `metadata.name`, so the scheduler (not this controller) binds it to that node.
 */
export function daemonPodFor(ds: DaemonSet, template: PodTemplateSpec, hash: string, nodeName: string): Pod {
  const pod = podFromTemplate(template, {
    namespace: ds.metadata?.namespace ?? '',
    generateName: `${ds.metadata?.name ?? ''}-`,
    ownerRef: controllerRefTo(ds, 'apps/v1', 'DaemonSet'),
    extraLabels: { [CONTROLLER_REVISION_HASH]: hash, 'pod-template-generation': String(ds.metadata?.generation ?? 1) },
  });
  const spec = pod.spec ?? { containers: [] };
  const tolerations = [...(spec.tolerations ?? [])];
  for (const t of defaultDaemonTolerations(spec.hostNetwork ?? false)) {
    if (!tolerations.some((x) => x.key === t.key && x.effect === t.effect)) tolerations.push(t);
  }
  spec.tolerations = tolerations;
  const term: NodeSelectorTerm = { matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] };
  const nodeAffinity = { ...(spec.affinity?.nodeAffinity ?? {}), requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [term] } };
  spec.affinity = { ...(spec.affinity ?? {}), nodeAffinity };
  pod.spec = spec;
  return pod;
}

/** The node a daemon pod is on, or is pinned to while not yet scheduled. */
export function nodeOfDaemonPod(pod: Pod): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  return terms[0]?.matchFields?.find((f) => f.key === 'metadata.name' && f.operator === 'In')?.values?.[0];
}

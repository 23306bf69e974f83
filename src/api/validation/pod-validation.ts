import type { Pod, PodSpec, PodTemplateSpec, Toleration } from 'kubernetes-types/core/v1.js';
import type { FieldError, KubeObject } from '../types.ts';
import { nonNegative, oneOf, validateLabels } from './common-rules.ts';
import { validateContainers } from './container-validation.ts';
import { forbidden, invalid, invalidEach, required } from './field-errors.ts';
import { FieldPath } from './field-path.ts';
import { dns1123Label, dns1123Subdomain } from './name-rules.ts';
import { validateAnnotations } from './object-meta.ts';
import { validateVolumes } from './volume-validation.ts';

export const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const TOLERATION_OPERATORS = ['Exists', 'Equal'];
const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const MAX_INT32 = 2147483647;

/**
 * Validates a pod spec found at `path` (`spec`, or `spec.template.spec` inside workloads).
 * `claimVolumes` names volumes supplied from outside the spec (StatefulSet volumeClaimTemplates).
 */
export function validatePodSpec(spec: PodSpec | undefined, path: FieldPath, claimVolumes: string[] = []): FieldError[] {
  if (!spec) return [required(path)];
  const volumes = validateVolumes(spec.volumes ?? [], path.child('volumes'));
  for (const name of claimVolumes) volumes.names.add(name);
  const seenNames = new Set<string>();
  const errs = [...volumes.errors];
  errs.push(...validateContainers(spec.initContainers ?? [], path.child('initContainers'), { volumes: volumes.names, seenNames, init: true }));
  if ((spec.containers ?? []).length === 0) errs.push(required(path.child('containers')));
  errs.push(...validateContainers(spec.containers ?? [], path.child('containers'), { volumes: volumes.names, seenNames, init: false }));
  errs.push(...oneOf(spec.restartPolicy, RESTART_POLICIES, path.child('restartPolicy'), true));
  errs.push(...oneOf(spec.dnsPolicy, DNS_POLICIES, path.child('dnsPolicy'), true));
  if (spec.dnsPolicy === 'None' && !spec.dnsConfig) errs.push(required(path.child('dnsConfig'), 'must provide `dnsConfig` when `dnsPolicy` is None'));
  errs.push(...nonNegative(spec.terminationGracePeriodSeconds, path.child('terminationGracePeriodSeconds')));
  if (spec.activeDeadlineSeconds !== undefined && (spec.activeDeadlineSeconds < 1 || spec.activeDeadlineSeconds > MAX_INT32)) {
    errs.push(invalid(path.child('activeDeadlineSeconds'), spec.activeDeadlineSeconds, `must be between 1 and ${MAX_INT32}, inclusive`));
  }
  if (spec.hostname) errs.push(...invalidEach(path.child('hostname'), spec.hostname, dns1123Label(spec.hostname)));
  if (spec.subdomain) errs.push(...invalidEach(path.child('subdomain'), spec.subdomain, dns1123Label(spec.subdomain)));
  if (spec.serviceAccountName) errs.push(...invalidEach(path.child('serviceAccountName'), spec.serviceAccountName, dns1123Subdomain(spec.serviceAccountName)));
  if (spec.nodeName) errs.push(...invalidEach(path.child('nodeName'), spec.nodeName, dns1123Subdomain(spec.nodeName)));
  errs.push(...validateLabels(spec.nodeSelector, path.child('nodeSelector')));
  errs.push(...validateTolerations(spec.tolerations ?? [], path.child('tolerations')));
  const sc = spec.securityContext;
  if (sc) {
    for (const field of ['runAsUser', 'runAsGroup', 'fsGroup'] as const) errs.push(...nonNegative(sc[field], path.child('securityContext', field)));
  }
  return errs;
}

function validateTolerations(tolerations: Toleration[], path: FieldPath): FieldError[] {
  return tolerations.flatMap((t, i) => {
    const at = path.index(i);
    const errs = oneOf(t.operator, TOLERATION_OPERATORS, at.child('operator'));
    if (t.operator === 'Exists' && t.value) errs.push(invalid(at.child('operator'), t.value, "value must be empty when `operator` is 'Exists'"));
    if (!t.key && t.operator !== 'Exists') errs.push(invalid(at.child('operator'), t.operator ?? '', 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    errs.push(...oneOf(t.effect, TAINT_EFFECTS, at.child('effect')));
    if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') {
      errs.push(invalid(at.child('effect'), t.effect ?? '', 'effect must be \'NoExecute\' when `tolerationSeconds` is set'));
    }
    return errs;
  });
}

/** Validates a pod template (labels, annotations and spec) at `path` (e.g. `spec.template`). */
export function validatePodTemplateSpec(template: PodTemplateSpec | undefined, path: FieldPath, claimVolumes: string[] = []): FieldError[] {
  if (!template) return [required(path)];
  const meta = path.child('metadata');
  return [
    ...validateLabels(template.metadata?.labels, meta.child('labels')),
    ...validateAnnotations(template.metadata?.annotations, meta.child('annotations')),
    ...validatePodSpec(template.spec, path.child('spec'), claimVolumes),
  ];
}

/** Pod: spec checks on create; on update, the spec may only change as upstream allows. */
export function validatePod(obj: KubeObject, old?: KubeObject): FieldError[] {
  const pod = obj as Pod;
  const errs = validatePodSpec(pod.spec, FieldPath.root('spec'));
  return old ? [...errs, ...validatePodSpecUpdate(pod.spec, (old as Pod).spec)] : errs;
}

const POD_UPDATE_MESSAGE =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,' +
  '`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),' +
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

/**
 * Only images, a shorter activeDeadlineSeconds, added tolerations and removed scheduling gates may
 * change — and nodeName may be set once, because Minato's pods/binding writes through this path.
 */
export function validatePodSpecUpdate(spec: PodSpec | undefined, old: PodSpec | undefined): FieldError[] {
  if (!spec || !old) return [];
  const errs: FieldError[] = [];
  const path = FieldPath.root('spec');
  const oldDeadline = old.activeDeadlineSeconds;
  if (oldDeadline !== undefined && (spec.activeDeadlineSeconds === undefined || spec.activeDeadlineSeconds > oldDeadline)) {
    errs.push(invalid(path.child('activeDeadlineSeconds'), spec.activeDeadlineSeconds ?? null, 'must be less than or equal to previous value'));
  }
  const oldTolerations = old.tolerations ?? [];
  const kept = oldTolerations.every((t) => (spec.tolerations ?? []).some((n) => canonicalJson(n) === canonicalJson(t)));
  if (!kept) errs.push(forbidden(path.child('tolerations'), 'existing toleration can not be modified except its tolerationSeconds'));
  if (!sameExceptMutable(spec, old)) errs.push(forbidden(path, POD_UPDATE_MESSAGE));
  return errs;
}

function sameExceptMutable(spec: PodSpec, old: PodSpec): boolean {
  const mask = (s: PodSpec, images: PodSpec): PodSpec => ({
    ...s,
    containers: (s.containers ?? []).map((c, i) => ({ ...c, image: images.containers?.[i]?.image ?? c.image })),
    initContainers: s.initContainers?.map((c, i) => ({ ...c, image: images.initContainers?.[i]?.image ?? c.image })),
    activeDeadlineSeconds: undefined,
    tolerations: undefined,
    schedulingGates: undefined,
    // Binding (pods/binding) sets nodeName once through this same update path.
    nodeName: old.nodeName ? s.nodeName : undefined,
    terminationGracePeriodSeconds: s.terminationGracePeriodSeconds !== undefined && s.terminationGracePeriodSeconds < 0 ? 1 : s.terminationGracePeriodSeconds,
  });
  // Compare with images (and the other mutable fields) taken from the old spec.
  return canonicalJson(mask(spec, old)) === canonicalJson(mask(old, old));
}

function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined).sort(([a], [b]) => a.localeCompare(b)));
    }
    return v;
  });
}

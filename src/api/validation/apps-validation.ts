import type { ControllerRevision, DaemonSet, Deployment, ReplicaSet, StatefulSet, StatefulSetSpec } from 'kubernetes-types/apps/v1.js';
import type { FieldError, KubeObject } from '../types.ts';
import { immutable, isZeroIntOrPercent, jsonEqual, nonNegative, notMoreThan100Percent, oneOf, validateIntOrPercent } from './common-rules.ts';
import { forbidden, invalid, invalidEach, required } from './field-errors.ts';
import { FieldPath } from './field-path.ts';
import { dns1123Label } from './name-rules.ts';
import { validateClaimSpec } from './persistent-volume-validation.ts';
import { selectorImmutable, validateSelectorAndTemplate } from './workload-rules.ts';

const SPEC = FieldPath.root('spec');
const ALWAYS = ['Always'];

interface RollingParameters {
  maxUnavailable?: number | string;
  maxSurge?: number | string;
}

/** maxSurge / maxUnavailable: int-or-percent, maxUnavailable ≤ 100%, not both zero. */
function validateRollingParameters(params: RollingParameters, path: FieldPath): FieldError[] {
  const errs = [
    ...validateIntOrPercent(params.maxUnavailable, path.child('maxUnavailable')),
    ...notMoreThan100Percent(params.maxUnavailable, path.child('maxUnavailable')),
    ...validateIntOrPercent(params.maxSurge, path.child('maxSurge')),
  ];
  if (isZeroIntOrPercent(params.maxUnavailable) && isZeroIntOrPercent(params.maxSurge ?? 0)) {
    errs.push(invalid(path.child('maxUnavailable'), params.maxUnavailable, 'may not be 0 when `maxSurge` is 0'));
  }
  return errs;
}

/** Deployment: replicas, selector/template, strategy, history and progress deadline. */
export function validateDeployment(obj: KubeObject, old?: KubeObject): FieldError[] {
  const spec = (obj as Deployment).spec;
  if (!spec) return [required(SPEC)];
  const errs = [
    ...nonNegative(spec.replicas, SPEC.child('replicas')),
    ...nonNegative(spec.minReadySeconds, SPEC.child('minReadySeconds')),
    ...nonNegative(spec.revisionHistoryLimit, SPEC.child('revisionHistoryLimit')),
    ...validateSelectorAndTemplate(spec.selector, spec.template, SPEC, { kind: 'deployment', restartPolicies: ALWAYS }),
  ];
  const strategy = spec.strategy ?? {};
  errs.push(...oneOf(strategy.type, ['Recreate', 'RollingUpdate'], SPEC.child('strategy', 'type')));
  if (strategy.type === 'Recreate' && strategy.rollingUpdate) {
    errs.push(forbidden(SPEC.child('strategy', 'rollingUpdate'), "may not be specified when strategy `type` is 'Recreate'"));
  }
  if (strategy.rollingUpdate) errs.push(...validateRollingParameters(strategy.rollingUpdate, SPEC.child('strategy', 'rollingUpdate')));
  if (spec.progressDeadlineSeconds !== undefined) {
    errs.push(...nonNegative(spec.progressDeadlineSeconds, SPEC.child('progressDeadlineSeconds')));
    if (spec.progressDeadlineSeconds <= (spec.minReadySeconds ?? 0)) {
      errs.push(invalid(SPEC.child('progressDeadlineSeconds'), spec.progressDeadlineSeconds, 'must be greater than minReadySeconds'));
    }
  }
  if (old) errs.push(...selectorImmutable(spec.selector, (old as Deployment).spec?.selector, SPEC));
  return errs;
}

/** ReplicaSet: replicas, selector/template; selector immutable. */
export function validateReplicaSet(obj: KubeObject, old?: KubeObject): FieldError[] {
  const spec = (obj as ReplicaSet).spec;
  if (!spec) return [required(SPEC)];
  const errs = [
    ...nonNegative(spec.replicas, SPEC.child('replicas')),
    ...nonNegative(spec.minReadySeconds, SPEC.child('minReadySeconds')),
    ...validateSelectorAndTemplate(spec.selector, spec.template, SPEC, { kind: 'deployment', restartPolicies: ALWAYS }),
  ];
  if (old) errs.push(...selectorImmutable(spec.selector, (old as ReplicaSet).spec?.selector, SPEC));
  return errs;
}

/** DaemonSet: selector/template, update strategy; selector immutable. */
export function validateDaemonSet(obj: KubeObject, old?: KubeObject): FieldError[] {
  const spec = (obj as DaemonSet).spec;
  if (!spec) return [required(SPEC)];
  const errs = [
    ...nonNegative(spec.minReadySeconds, SPEC.child('minReadySeconds')),
    ...nonNegative(spec.revisionHistoryLimit, SPEC.child('revisionHistoryLimit')),
    ...validateSelectorAndTemplate(spec.selector, spec.template, SPEC, { kind: 'daemonset', restartPolicies: ALWAYS }),
  ];
  const strategy = spec.updateStrategy ?? {};
  errs.push(...oneOf(strategy.type, ['OnDelete', 'RollingUpdate'], SPEC.child('updateStrategy', 'type')));
  if (strategy.type === 'RollingUpdate' || strategy.rollingUpdate) {
    errs.push(...validateRollingParameters(strategy.rollingUpdate ?? { maxUnavailable: 1 }, SPEC.child('updateStrategy', 'rollingUpdate')));
  }
  if (old) errs.push(...selectorImmutable(spec.selector, (old as DaemonSet).spec?.selector, SPEC));
  return errs;
}

const STATEFULSET_UPDATE_MESSAGE =
  "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', " +
  "'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";

/** StatefulSet: replicas, selector/template, policies, claim templates; most of the spec is fixed after creation. */
export function validateStatefulSet(obj: KubeObject, old?: KubeObject): FieldError[] {
  const spec = (obj as StatefulSet).spec;
  if (!spec) return [required(SPEC)];
  const claimVolumes = (spec.volumeClaimTemplates ?? []).flatMap((c) => (c.metadata?.name ? [c.metadata.name] : []));
  const errs = [
    ...nonNegative(spec.replicas, SPEC.child('replicas')),
    ...nonNegative(spec.minReadySeconds, SPEC.child('minReadySeconds')),
    ...nonNegative(spec.revisionHistoryLimit, SPEC.child('revisionHistoryLimit')),
    ...validateSelectorAndTemplate(spec.selector, spec.template, SPEC, { kind: 'statefulset', restartPolicies: ALWAYS, claimVolumes }),
    ...oneOf(spec.podManagementPolicy, ['OrderedReady', 'Parallel'], SPEC.child('podManagementPolicy')),
    ...validateStatefulSetStrategy(spec),
  ];
  if (spec.serviceName) errs.push(...invalidEach(SPEC.child('serviceName'), spec.serviceName, dns1123Label(spec.serviceName)));
  const retention = spec.persistentVolumeClaimRetentionPolicy;
  errs.push(...oneOf(retention?.whenDeleted, ['Retain', 'Delete'], SPEC.child('persistentVolumeClaimRetentionPolicy', 'whenDeleted')));
  errs.push(...oneOf(retention?.whenScaled, ['Retain', 'Delete'], SPEC.child('persistentVolumeClaimRetentionPolicy', 'whenScaled')));
  (spec.volumeClaimTemplates ?? []).forEach((claim, i) => {
    const at = SPEC.child('volumeClaimTemplates').index(i);
    if (!claim.metadata?.name) errs.push(required(at.child('metadata', 'name')));
    errs.push(...validateClaimSpec(claim.spec ?? {}, at.child('spec')));
  });
  if (old) errs.push(...validateStatefulSetUpdate(spec, (old as StatefulSet).spec));
  return errs;
}

function validateStatefulSetStrategy(spec: StatefulSetSpec): FieldError[] {
  const strategy = spec.updateStrategy ?? {};
  const path = SPEC.child('updateStrategy');
  const errs = oneOf(strategy.type, ['OnDelete', 'RollingUpdate'], path.child('type'));
  if (strategy.type === 'OnDelete' && strategy.rollingUpdate) {
    errs.push(invalid(path.child('rollingUpdate'), strategy.rollingUpdate, "only allowed for updateStrategy 'RollingUpdate'"));
  }
  const rolling = strategy.rollingUpdate;
  if (rolling) {
    errs.push(...nonNegative(rolling.partition, path.child('rollingUpdate', 'partition')));
    errs.push(...validateIntOrPercent(rolling.maxUnavailable, path.child('rollingUpdate', 'maxUnavailable')));
  }
  return errs;
}

function validateStatefulSetUpdate(spec: StatefulSetSpec, old: StatefulSetSpec | undefined): FieldError[] {
  const fixed = (s: StatefulSetSpec | undefined): Record<string, unknown> => {
    const { replicas: _r, ordinals: _o, template: _t, updateStrategy: _u, persistentVolumeClaimRetentionPolicy: _p, minReadySeconds: _m, ...rest } = s ?? ({} as StatefulSetSpec);
    return rest;
  };
  return jsonEqual(fixed(spec), fixed(old)) ? [] : [forbidden(SPEC, STATEFULSET_UPDATE_MESSAGE)];
}

/** ControllerRevision: revision ≥ 0, data present; data immutable. */
export function validateControllerRevision(obj: KubeObject, old?: KubeObject): FieldError[] {
  const revision = obj as unknown as ControllerRevision;
  const errs = nonNegative(revision.revision, FieldPath.root('revision'));
  if (revision.data === undefined || revision.data === null) errs.push(required(FieldPath.root('data'), 'data is mandatory'));
  if (old) errs.push(...immutable(revision.data, (old as unknown as ControllerRevision).data, FieldPath.root('data')));
  return errs;
}

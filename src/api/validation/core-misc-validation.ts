import type { EndpointSubset, Event, LimitRange, LimitRangeItem, Namespace, Node, PodTemplate, ReplicationController, ResourceQuota } from 'kubernetes-types/core/v1.js';
import type { FieldError, KubeObject } from '../types.ts';
import { compareQuantities, isQuantity, parseQuantity } from '../quantity.ts';
import { nonNegative, oneOf, validateLabels, validateQuantity } from './common-rules.ts';
import { PROTOCOLS } from './container-validation.ts';
import { invalid, invalidEach, required } from './field-errors.ts';
import { FieldPath } from './field-path.ts';
import { ipAddress, portNumber, qualifiedName } from './name-rules.ts';
import { validatePodTemplateSpec } from './pod-validation.ts';
import { validateTemplateMatchesSelector } from './workload-rules.ts';

const SPEC = FieldPath.root('spec');

/** Namespace: spec.finalizers are qualified names. */
export function validateNamespace(obj: KubeObject): FieldError[] {
  const finalizers = (obj as Namespace).spec?.finalizers ?? [];
  return finalizers.flatMap((f, i) => invalidEach(SPEC.child('finalizers').index(i), f, qualifiedName(f)));
}

/** Node: taints have keys and known effects; addresses are valid IPs where typed so. */
export function validateNode(obj: KubeObject): FieldError[] {
  const taints = (obj as Node).spec?.taints ?? [];
  return taints.flatMap((t, i) => {
    const at = SPEC.child('taints').index(i);
    const errs = t.key ? invalidEach(at.child('key'), t.key, qualifiedName(t.key)) : [required(at.child('key'))];
    return [...errs, ...oneOf(t.effect, ['NoSchedule', 'PreferNoSchedule', 'NoExecute'], at.child('effect'), true)];
  });
}

/** ResourceQuota: qualified resource names with valid quantities, known scopes. */
export function validateResourceQuota(obj: KubeObject): FieldError[] {
  const spec = (obj as ResourceQuota).spec ?? {};
  const errs: FieldError[] = [];
  for (const [name, value] of Object.entries(spec.hard ?? {})) {
    errs.push(...invalidEach(SPEC.child('hard'), name, qualifiedName(name)));
    errs.push(...validateQuantity(value, SPEC.child('hard').key(name)));
  }
  const scopes = ['Terminating', 'NotTerminating', 'BestEffort', 'NotBestEffort', 'PriorityClass', 'CrossNamespacePodAffinity'];
  (spec.scopes ?? []).forEach((s, i) => errs.push(...oneOf(s, scopes, SPEC.child('scopes').index(i), true)));
  return errs;
}

/** LimitRange: known limit types, valid quantities, min ≤ defaultRequest ≤ default ≤ max. */
export function validateLimitRange(obj: KubeObject): FieldError[] {
  const limits = (obj as LimitRange).spec?.limits ?? [];
  return limits.flatMap((item, i) => validateLimitRangeItem(item, SPEC.child('limits').index(i)));
}

const LIMIT_ORDER: Array<[keyof LimitRangeItem, string, keyof LimitRangeItem, string]> = [
  ['min', 'min value', 'max', 'max value'],
  ['default', 'default value', 'max', 'max value'],
  ['defaultRequest', 'default request value', 'max', 'max value'],
  ['defaultRequest', 'default request value', 'default', 'default limit value'],
  ['min', 'min value', 'default', 'default value'],
  ['min', 'min value', 'defaultRequest', 'default request value'],
];

function validateLimitRangeItem(item: LimitRangeItem, at: FieldPath): FieldError[] {
  const errs = oneOf(item.type, ['Pod', 'Container', 'PersistentVolumeClaim'], at.child('type'), true);
  for (const field of ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio'] as const) {
    for (const [name, value] of Object.entries(item[field] ?? {})) errs.push(...validateQuantity(value, at.child(field).key(name)));
  }
  for (const [low, lowText, high, highText] of LIMIT_ORDER) {
    const lows = (item[low] ?? {}) as Record<string, unknown>;
    const highs = (item[high] ?? {}) as Record<string, unknown>;
    for (const [name, lowValue] of Object.entries(lows)) {
      const highValue = highs[name];
      if (!isQuantity(lowValue) || !isQuantity(highValue)) continue;
      if (compareQuantities(parseQuantity(lowValue), parseQuantity(highValue)) > 0) {
        errs.push(invalid(at.child(low).key(name), lowValue, `${lowText} ${lowValue} is greater than ${highText} ${highValue}`));
      }
    }
  }
  return errs;
}

/** Endpoints: addresses are IPs, ports valid, port names required when more than one. */
export function validateEndpoints(obj: KubeObject): FieldError[] {
  const subsets: EndpointSubset[] = (obj.subsets as EndpointSubset[] | undefined) ?? [];
  return subsets.flatMap((subset, i) => {
    const at = FieldPath.root('subsets').index(i);
    const errs: FieldError[] = [];
    for (const field of ['addresses', 'notReadyAddresses'] as const) {
      (subset[field] ?? []).forEach((a, j) => errs.push(...invalidEach(at.child(field).index(j).child('ip'), a.ip, ipAddress(a.ip ?? ''))));
    }
    const ports = subset.ports ?? [];
    ports.forEach((p, j) => {
      const pat = at.child('ports').index(j);
      if (ports.length > 1 && !p.name) errs.push(required(pat.child('name')));
      errs.push(...invalidEach(pat.child('port'), p.port, portNumber(p.port)));
      errs.push(...oneOf(p.protocol, PROTOCOLS, pat.child('protocol'), true));
    });
    return errs;
  });
}

/** core/v1 Event: the involved object's namespace matches the event's, count is not negative. */
export function validateCoreEvent(obj: KubeObject): FieldError[] {
  const event = obj as unknown as Event;
  const errs = nonNegative(event.count, FieldPath.root('count'));
  const involved = event.involvedObject?.namespace;
  if (involved && event.metadata?.namespace && involved !== event.metadata.namespace) {
    errs.push(invalid(FieldPath.root('involvedObject', 'namespace'), involved, 'does not match event.namespace'));
  }
  return [...errs, ...oneOf(event.type, ['Normal', 'Warning'], FieldPath.root('type'))];
}

/** events.k8s.io/v1 Event: the type is Normal or Warning. */
export function validateEventsEvent(obj: KubeObject): FieldError[] {
  return oneOf(obj.type as string | undefined, ['Normal', 'Warning'], FieldPath.root('type'));
}

/** PodTemplate: a valid pod template. */
export function validatePodTemplate(obj: KubeObject): FieldError[] {
  return validatePodTemplateSpec((obj as PodTemplate).template, FieldPath.root('template'));
}

/** ReplicationController: replicas ≥ 0, a selector the template labels satisfy. */
export function validateReplicationController(obj: KubeObject): FieldError[] {
  const spec = (obj as ReplicationController).spec ?? {};
  const errs = [...nonNegative(spec.replicas, SPEC.child('replicas')), ...nonNegative(spec.minReadySeconds, SPEC.child('minReadySeconds'))];
  if (Object.keys(spec.selector ?? {}).length === 0) errs.push(required(SPEC.child('selector')));
  errs.push(...validateLabels(spec.selector, SPEC.child('selector')));
  if (!spec.template) return [...errs, required(SPEC.child('template'))];
  errs.push(...validateTemplateMatchesSelector({ matchLabels: spec.selector ?? {} }, spec.template, SPEC.child('template')));
  errs.push(...validatePodTemplateSpec(spec.template, SPEC.child('template')));
  return errs;
}

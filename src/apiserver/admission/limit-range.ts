import type { Container, LimitRange, LimitRangeItem, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import type { ResourceDefinition } from '../../api/resource-definition.ts';
import type { FieldError, KubeObject } from '../../api/types.ts';
import { compareQuantities, formatQuantity, parseQuantity, quantityToNumber, type Quantity } from '../../api/quantity.ts';
import { podQosClass } from '../../api/defaults/pod-defaults.ts';
import { podResources } from '../../api/quota/resource-usage.ts';
import type { ApiContext } from '../api-context.ts';
import { forbidden, invalid } from '../status-error.ts';

/** Annotation listing the defaults LimitRanger filled in. */
export const LIMIT_RANGER_ANNOTATION = 'kubernetes.io/limit-ranger';

type Resources = Record<string, string>;

/**
 * Upstream LimitRanger admission for pods and claims: containers get the `default` limits and
 * `defaultRequest` requests of Container-type items, then every item's min, max and
 * maxLimitRequestRatio are enforced (403 Forbidden listing each violation, as upstream words it).
 */
export async function admitLimitRange(ctx: ApiContext, r: ResourceDefinition, obj: KubeObject): Promise<void> {
  if (r.group !== '' || (r.plural !== 'pods' && r.plural !== 'persistentvolumeclaims')) return;
  const def = ctx.catalog().find('', 'v1', 'limitranges');
  if (!def) return;
  const namespace = obj.metadata?.namespace ?? '';
  const cached = ctx.cache?.('', 'limitranges');
  const ranges = (cached ? cached.list(namespace) : (await ctx.objects.list(def, { namespace })).items) as LimitRange[];
  if (ranges.length === 0) return;
  const items = ranges.flatMap((lr) => lr.spec?.limits ?? []);
  let errors: string[];
  if (r.plural === 'pods') {
    const pod = obj as Pod;
    applyContainerDefaults(pod, items);
    checkRequestsWithinLimits(pod);
    errors = validatePod(pod, items);
  } else {
    errors = validateClaim(obj as PersistentVolumeClaim, items);
  }
  if (errors.length === 0) return;
  const name = obj.metadata?.name ?? '';
  const summary = errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`;
  throw forbidden(`${r.plural} "${name}" is forbidden: ${summary}`, { name, group: '', kind: r.plural });
}

/** Fills missing requests and limits from Container-type items (earlier LimitRanges win). */
export function applyContainerDefaults(pod: Pod, items: LimitRangeItem[]): void {
  const limits: Resources = {};
  const requests: Resources = {};
  for (const item of items) {
    if (item.type !== 'Container') continue;
    for (const [k, v] of Object.entries(item.default ?? {})) limits[k] ??= v;
    for (const [k, v] of Object.entries(item.defaultRequest ?? {})) requests[k] ??= v;
  }
  const notes: string[] = [];
  for (const c of pod.spec?.containers ?? []) notes.push(...mergeDefaults(c, requests, limits, 'container'));
  for (const c of pod.spec?.initContainers ?? []) notes.push(...mergeDefaults(c, requests, limits, 'init container'));
  if (notes.length === 0) return;
  const meta = (pod.metadata ??= {});
  meta.annotations = { ...(meta.annotations ?? {}), [LIMIT_RANGER_ANNOTATION]: `LimitRanger plugin set: ${notes.join('; ')}` };
  // The QoS class was derived before admission; defaults can change it.
  if (pod.status && pod.spec) (pod.status as { qosClass?: string }).qosClass = podQosClass(pod.spec);
}

function mergeDefaults(c: Container, requests: Resources, limits: Resources, label: string): string[] {
  const resources = ((c as { resources?: Container['resources'] }).resources ??= {});
  const setLimits = fill((resources.limits ??= {}), limits);
  const setRequests = fill((resources.requests ??= {}), requests);
  if (Object.keys(resources.limits).length === 0) delete resources.limits;
  if (Object.keys(resources.requests).length === 0) delete resources.requests;
  const notes: string[] = [];
  if (setRequests.length) notes.push(`${setRequests.sort().join(', ')} request for ${label} ${c.name}`);
  if (setLimits.length) notes.push(`${setLimits.sort().join(', ')} limit for ${label} ${c.name}`);
  return notes;
}

function fill(target: Resources, defaults: Resources): string[] {
  const set: string[] = [];
  for (const [k, v] of Object.entries(defaults)) {
    if (target[k] !== undefined) continue;
    target[k] = v;
    set.push(k);
  }
  return set;
}

/** Defaults may not leave a request above its limit (upstream's pod validation runs after LimitRanger). */
function checkRequestsWithinLimits(pod: Pod): void {
  const errors: FieldError[] = [];
  const check = (c: Container, path: string) => {
    for (const [name, limit] of Object.entries(c.resources?.limits ?? {})) {
      const request = c.resources?.requests?.[name];
      if (request === undefined || compareQuantities(parseQuantity(request), parseQuantity(limit)) <= 0) continue;
      errors.push({ field: `${path}.resources.requests`, type: 'FieldValueInvalid', value: request, detail: `must be less than or equal to ${name} limit of ${limit}` });
    }
  };
  (pod.spec?.containers ?? []).forEach((c, i) => check(c, `spec.containers[${i}]`));
  (pod.spec?.initContainers ?? []).forEach((c, i) => check(c, `spec.initContainers[${i}]`));
  if (errors.length) throw invalid('', 'Pod', pod.metadata?.name ?? '', errors);
}

function validatePod(pod: Pod, items: LimitRangeItem[]): string[] {
  const errors: string[] = [];
  for (const item of items) {
    if (item.type === 'Container') {
      for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
        errors.push(...checkItem('Container', item, parsed(c.resources?.requests), parsed(c.resources?.limits)));
      }
    } else if (item.type === 'Pod') {
      errors.push(...checkItem('Pod', item, podResources(pod, 'requests'), podResources(pod, 'limits')));
    }
  }
  return errors;
}

function validateClaim(pvc: PersistentVolumeClaim, items: LimitRangeItem[]): string[] {
  const errors: string[] = [];
  const requests = parsed(pvc.spec?.resources?.requests);
  for (const item of items) {
    if (item.type !== 'PersistentVolumeClaim') continue;
    // A claim's limits are not user input for LimitRanger: min looks at requests alone, max too.
    for (const [name, v] of sorted(item.min)) pushIf(errors, minConstraint('PersistentVolumeClaim', name, v, requests, new Map()));
    for (const [name, v] of sorted(item.max)) pushIf(errors, maxRequestConstraint('PersistentVolumeClaim', name, v, requests));
  }
  return errors;
}

function checkItem(type: string, item: LimitRangeItem, requests: Map<string, Quantity>, limits: Map<string, Quantity>): string[] {
  const errors: string[] = [];
  for (const [name, v] of sorted(item.min)) pushIf(errors, minConstraint(type, name, v, requests, limits));
  for (const [name, v] of sorted(item.max)) pushIf(errors, maxConstraint(type, name, v, requests, limits));
  for (const [name, v] of sorted(item.maxLimitRequestRatio)) pushIf(errors, ratioConstraint(type, name, v, requests, limits));
  return errors;
}

function pushIf(errors: string[], e: string | undefined): void {
  if (e) errors.push(e);
}

function sorted(list: Resources | undefined): Array<[string, Quantity]> {
  return Object.keys(list ?? {})
    .sort()
    .map((k) => [k, parseQuantity((list as Resources)[k] as string)]);
}

function parsed(list: Resources | undefined): Map<string, Quantity> {
  return new Map(Object.entries(list ?? {}).map(([k, v]) => [k, parseQuantity(v)]));
}

const show = formatQuantity;

function minConstraint(type: string, name: string, enforced: Quantity, requests: Map<string, Quantity>, limits: Map<string, Quantity>): string | undefined {
  const req = requests.get(name);
  const lim = limits.get(name);
  if (!req) return `minimum ${name} usage per ${type} is ${show(enforced)}.  No request is specified`;
  if (compareQuantities(req, enforced) < 0) return `minimum ${name} usage per ${type} is ${show(enforced)}, but request is ${show(req)}`;
  if (lim && compareQuantities(lim, enforced) < 0) return `minimum ${name} usage per ${type} is ${show(enforced)}, but limit is ${show(lim)}`;
  return undefined;
}

function maxConstraint(type: string, name: string, enforced: Quantity, requests: Map<string, Quantity>, limits: Map<string, Quantity>): string | undefined {
  const req = requests.get(name);
  const lim = limits.get(name);
  if (!lim) return `maximum ${name} usage per ${type} is ${show(enforced)}.  No limit is specified`;
  if (compareQuantities(lim, enforced) > 0) return `maximum ${name} usage per ${type} is ${show(enforced)}, but limit is ${show(lim)}`;
  if (req && compareQuantities(req, enforced) > 0) return `maximum ${name} usage per ${type} is ${show(enforced)}, but request is ${show(req)}`;
  return undefined;
}

function maxRequestConstraint(type: string, name: string, enforced: Quantity, requests: Map<string, Quantity>): string | undefined {
  const req = requests.get(name);
  if (!req) return `maximum ${name} usage per ${type} is ${show(enforced)}.  No request is specified`;
  if (compareQuantities(req, enforced) > 0) return `maximum ${name} usage per ${type} is ${show(enforced)}, but request is ${show(req)}`;
  return undefined;
}

function ratioConstraint(type: string, name: string, enforced: Quantity, requests: Map<string, Quantity>, limits: Map<string, Quantity>): string | undefined {
  const req = requests.get(name);
  const lim = limits.get(name);
  if (!req || req.nanos === 0n) return `${name} max limit to request ratio per ${type} is ${show(enforced)}, but no request is specified or request is 0`;
  if (!lim || lim.nanos === 0n) return `${name} max limit to request ratio per ${type} is ${show(enforced)}, but no limit is specified or limit is 0`;
  const ratio = Number(lim.nanos) / Number(req.nanos);
  if (ratio > quantityToNumber(enforced)) return `${name} max limit to request ratio per ${type} is ${show(enforced)}, but provided ratio is ${ratio.toFixed(6)}`;
  return undefined;
}

import type { Container, PersistentVolumeClaim, Pod, Service } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../types.ts';
import { addQuantities, compareQuantities, formatQuantity, parseQuantity, type Quantity } from '../quantity.ts';

/** Usage of quota-tracked resources, by resource name (`pods`, `requests.cpu`, `count/deployments.apps` …). */
export type Usage = Map<string, Quantity>;

/** The group and plural of an object's resource: what quota evaluators are keyed by. */
export interface QuotaResource {
  group: string;
  resource: string;
}

const STORAGE_CLASS_SUFFIX = '.storageclass.storage.k8s.io/';
/** Resources whose requests a quota on cpu or memory forces every container to state. */
export const CONTAINER_CONSTRAINED = new Set(['cpu', 'memory', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory']);
const POD_NAMES = new Set(['pods', 'cpu', 'memory', 'ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.ephemeral-storage', 'limits.cpu', 'limits.memory', 'limits.ephemeral-storage']);
const SERVICE_NAMES = new Set(['services', 'services.loadbalancers', 'services.nodeports']);
/** Object counts that predate `count/<resource>` and are still accepted under their bare names. */
const LEGACY_COUNTS = new Set(['configmaps', 'secrets', 'replicationcontrollers', 'resourcequotas']);
const ONE: Quantity = { nanos: 1_000_000_000n, format: 'DecimalSI' };

/** `count/pods`, `count/deployments.apps`: the object-count name of a resource. */
export function countName(r: QuotaResource): string {
  return r.group === '' ? `count/${r.resource}` : `count/${r.resource}.${r.group}`;
}

const isHugePages = (name: string) => /^(requests\.|limits\.)?hugepages-/.test(name);
/** `requests.example.com/gpu`: extended resources are quota'd by request only, under a domain-qualified name. */
const isExtendedRequest = (name: string) => name.startsWith('requests.') && name.includes('/') && !name.includes('kubernetes.io/');

const isCore = (r: QuotaResource, resource: string) => r.group === '' && r.resource === resource;

/** True when quota resource `name` is evaluated for objects of `r` (upstream's MatchingResources). */
export function quotaNameApplies(r: QuotaResource, name: string): boolean {
  if (name === countName(r)) return true;
  if (isCore(r, 'pods')) return POD_NAMES.has(name) || isHugePages(name) || isExtendedRequest(name);
  if (isCore(r, 'services')) return SERVICE_NAMES.has(name);
  if (isCore(r, 'persistentvolumeclaims')) {
    return name === 'persistentvolumeclaims' || name === 'requests.storage' || name.endsWith(`${STORAGE_CLASS_SUFFIX}requests.storage`) || name.endsWith(`${STORAGE_CLASS_SUFFIX}persistentvolumeclaims`);
  }
  return r.group === '' && LEGACY_COUNTS.has(r.resource) && name === r.resource;
}

/** Everything `obj` consumes (upstream's evaluators' Usage); `now` decides whether a deleting pod still counts. */
export function objectUsage(r: QuotaResource, obj: KubeObject, now: Date): Usage {
  const usage: Usage = new Map([[countName(r), ONE]]);
  if (isCore(r, 'pods')) addPodUsage(usage, obj as Pod, now);
  else if (isCore(r, 'services')) addServiceUsage(usage, obj as Service);
  else if (isCore(r, 'persistentvolumeclaims')) addClaimUsage(usage, obj as PersistentVolumeClaim);
  else if (r.group === '' && LEGACY_COUNTS.has(r.resource)) usage.set(r.resource, ONE);
  return usage;
}

/** False for pods that no longer hold compute resources: terminal, or past their deletion grace. */
export function podCountsForQuota(pod: Pod, now: Date): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  const deletion = pod.metadata?.deletionTimestamp;
  const grace = pod.metadata?.deletionGracePeriodSeconds;
  if (deletion && grace !== undefined) return now.getTime() <= Date.parse(deletion) + grace * 1000;
  return true;
}

function addPodUsage(usage: Usage, pod: Pod, now: Date): void {
  if (!podCountsForQuota(pod, now)) return;
  for (const [name, q] of containerUsage(podResources(pod, 'requests'), podResources(pod, 'limits'))) usage.set(name, q);
}

/** The quota names one container's (or a pod's summed) requests and limits produce. */
export function containerUsage(requests: Map<string, Quantity>, limits: Map<string, Quantity>): Usage {
  const usage: Usage = new Map([['pods', ONE]]);
  for (const [name, q] of requests) {
    if (name === 'cpu' || name === 'memory' || name === 'ephemeral-storage' || name.startsWith('hugepages-')) usage.set(name, q);
    usage.set(`requests.${name}`, q);
  }
  for (const [name, q] of limits) {
    if (name === 'cpu' || name === 'memory' || name === 'ephemeral-storage' || name.startsWith('hugepages-')) usage.set(`limits.${name}`, q);
  }
  return usage;
}

/** Parsed requests or limits of one container. */
export function containerResources(c: Container, which: 'requests' | 'limits'): Map<string, Quantity> {
  const out = new Map<string, Quantity>();
  for (const [name, value] of Object.entries(c.resources?.[which] ?? {})) out.set(name, parseQuantity(value));
  return out;
}

/**
 * A pod's effective requests or limits: the sum over app containers (and restartable init
 * containers, which run alongside them), raised to any larger one-shot init container, plus overhead.
 */
export function podResources(pod: Pod, which: 'requests' | 'limits'): Map<string, Quantity> {
  const sum = new Map<string, Quantity>();
  const sidecars = (pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always');
  for (const c of [...(pod.spec?.containers ?? []), ...sidecars]) addInto(sum, containerResources(c, which));
  for (const c of pod.spec?.initContainers ?? []) {
    if (c.restartPolicy === 'Always') continue;
    for (const [name, q] of containerResources(c, which)) {
      const current = sum.get(name);
      if (!current || compareQuantities(q, current) > 0) sum.set(name, q);
    }
  }
  for (const [name, value] of Object.entries(pod.spec?.overhead ?? {})) {
    if (which === 'limits' && !sum.has(name)) continue;
    addInto(sum, new Map([[name, parseQuantity(value)]]));
  }
  return sum;
}

function addServiceUsage(usage: Usage, svc: Service): void {
  usage.set('services', ONE);
  const type = svc.spec?.type ?? 'ClusterIP';
  const ports = svc.spec?.ports ?? [];
  const count = (n: number): Quantity => ({ nanos: BigInt(n) * ONE.nanos, format: 'DecimalSI' });
  if (type === 'NodePort') usage.set('services.nodeports', count(ports.length));
  if (type === 'LoadBalancer') {
    // With node-port allocation switched off only explicitly requested node ports are used.
    const nodePorts = svc.spec?.allocateLoadBalancerNodePorts === false ? ports.filter((p) => p.nodePort).length : ports.length;
    usage.set('services.nodeports', count(nodePorts));
    usage.set('services.loadbalancers', ONE);
  }
}

function addClaimUsage(usage: Usage, pvc: PersistentVolumeClaim): void {
  usage.set('persistentvolumeclaims', ONE);
  const className = pvc.spec?.storageClassName;
  if (className) usage.set(`${className}${STORAGE_CLASS_SUFFIX}persistentvolumeclaims`, ONE);
  const requested = pvc.spec?.resources?.requests?.storage;
  const allocated = pvc.status?.allocatedResources?.storage;
  let storage = requested !== undefined ? parseQuantity(requested) : undefined;
  // An expansion in progress holds the larger of the two sizes.
  if (allocated !== undefined && (!storage || compareQuantities(parseQuantity(allocated), storage) > 0)) storage = parseQuantity(allocated);
  if (!storage) return;
  usage.set('requests.storage', storage);
  if (className) usage.set(`${className}${STORAGE_CLASS_SUFFIX}requests.storage`, storage);
}

/** Adds every entry of `b` into `a` (in place). */
export function addInto(a: Map<string, Quantity>, b: Map<string, Quantity>): void {
  for (const [name, q] of b) {
    const current = a.get(name);
    a.set(name, current ? addQuantities(current, q) : q);
  }
}

/** `a - b` for the names in `a` (a quantity of b's format when a lacks the name is not needed here). */
export function subtractUsage(a: Usage, b: Usage): Usage {
  const out: Usage = new Map();
  for (const [name, q] of a) {
    const other = b.get(name);
    out.set(name, other ? { nanos: q.nanos - other.nanos, format: q.format } : q);
  }
  return out;
}

/** Renders usage as a ResourceList of canonical quantities. */
export function usageToList(u: Usage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of [...u.keys()].sort()) out[name] = formatQuantity(u.get(name) as Quantity);
  return out;
}

/** Parses a ResourceList (quota hard/used). */
export function listToUsage(list: Record<string, string | number> | undefined): Usage {
  const out: Usage = new Map();
  for (const [name, value] of Object.entries(list ?? {})) out.set(name, parseQuantity(value));
  return out;
}

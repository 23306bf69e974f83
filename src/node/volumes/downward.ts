/**
 * Downward API values: the pod fields and container resources a pod may read about itself, shared
 * by env vars (`valueFrom.fieldRef` / `resourceFieldRef`) and downwardAPI volumes.
 */
import type { Container, ObjectFieldSelector, Pod, ResourceFieldSelector } from 'kubernetes-types/core/v1.js';
import { milliValue, parseQuantity, quantityToNumber } from '../../api/quantity.ts';

/** Facts about the node a pod runs on that the pod object does not carry yet. */
export interface NodeFacts {
  /** Capacity of the node, used as the default when a container sets no limit. */
  allocatableCpu: string;
  allocatableMemory: string;
  hostIP?: string;
}

/** `k="v"` lines, sorted, as the kubelet formats labels and annotations. */
function formatMap(m: Record<string, string> | undefined): string {
  return Object.keys(m ?? {}).sort().map((k) => `${k}=${JSON.stringify(m?.[k] ?? '')}`).join('\n');
}

/** The value of a `fieldRef`; undefined for fields the pod does not have. Throws for unsupported paths. */
export function fieldValue(pod: Pod, ref: ObjectFieldSelector, podIP?: string, hostIP?: string): string | undefined {
  const path = ref.fieldPath;
  const meta = pod.metadata ?? {};
  const sub = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (sub) return (sub[1] === 'labels' ? meta.labels : meta.annotations)?.[sub[2] ?? ''];
  switch (path) {
    case 'metadata.name': return meta.name;
    case 'metadata.namespace': return meta.namespace;
    case 'metadata.uid': return meta.uid;
    case 'metadata.labels': return formatMap(meta.labels);
    case 'metadata.annotations': return formatMap(meta.annotations);
    case 'spec.nodeName': return pod.spec?.nodeName;
    case 'spec.serviceAccountName': return pod.spec?.serviceAccountName ?? 'default';
    case 'status.podIP': return podIP ?? pod.status?.podIP;
    case 'status.podIPs': return podIP ?? pod.status?.podIP;
    case 'status.hostIP': return hostIP ?? pod.status?.hostIP;
    case 'status.hostIPs': return hostIP ?? pod.status?.hostIP;
    default: throw new Error(`unsupported fieldRef ${path}`);
  }
}

/**
 * The value of a `resourceFieldRef`: the container's limit (or request), falling back to node
 * allocatable for unset limits, divided by the divisor and rounded up, as the kubelet does.
 */
export function resourceValue(pod: Pod, ref: ResourceFieldSelector, defaultContainer: string | undefined, node: NodeFacts): string {
  const name = ref.containerName || defaultContainer;
  const all: Container[] = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  const c = all.find((x) => x.name === name);
  if (!c) throw new Error(`resourceFieldRef: no container ${name ?? '(unnamed)'}`);
  const [which, resource] = ref.resource.split('.') as ['limits' | 'requests', string];
  const isCpu = resource === 'cpu';
  const fallback = which === 'limits' ? (isCpu ? node.allocatableCpu : node.allocatableMemory) : '0';
  const raw = c.resources?.[which]?.[resource] ?? fallback;
  const divisor = parseQuantity(ref.divisor ?? '1');
  if (isCpu) {
    const m = milliValue(parseQuantity(raw));
    const d = milliValue(divisor) || 1000;
    return String(Math.ceil(m / d));
  }
  const v = quantityToNumber(parseQuantity(raw));
  const d = quantityToNumber(divisor) || 1;
  return String(Math.ceil(v / d));
}

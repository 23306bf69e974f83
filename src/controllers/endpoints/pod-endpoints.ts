import type { Pod, Service, ServicePort } from 'kubernetes-types/core/v1.js';
import { labelSelectorFromObject } from '../../api/selectors/label-selector.ts';

/** True when the pod's Ready condition is True (what the kubelet reports after readiness probes). */
export function isPodReady(pod: Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** Pods that finished can never serve again; they are left out entirely. */
export function isPodTerminal(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

/**
 * The Services a pod event may concern: every selector-bearing Service of the pod's namespace. An
 * update event carries only the new pod, so a Service that selected its old labels must be
 * reconciled too; reconciles are de-duplicated and cheap.
 */
export function servicesForPod(servicesInNamespace: Service[]): Service[] {
  return servicesInNamespace.filter((s) => Object.keys(s.spec?.selector ?? {}).length > 0);
}

/** True when the Service has a non-empty selector matching the pod's labels. */
export function selects(service: Service, pod: Pod): boolean {
  const selector = service.spec?.selector;
  if (!selector || Object.keys(selector).length === 0) return false;
  return labelSelectorFromObject({ matchLabels: selector }).matches(pod.metadata?.labels);
}

/**
 * The container port a Service port sends to on this pod: a number as is, a name looked up among
 * the pod's container ports with the same protocol (upstream `podutil.FindPort`). Undefined when
 * the pod has no such named port.
 */
export function resolveTargetPort(pod: Pod, port: ServicePort): number | undefined {
  const target = port.targetPort ?? port.port;
  if (typeof target === 'number') return target;
  const asNumber = Number(target);
  if (target !== '' && Number.isInteger(asNumber)) return asNumber;
  const protocol = port.protocol ?? 'TCP';
  for (const c of pod.spec?.containers ?? []) {
    const found = c.ports?.find((p) => p.name === target && (p.protocol ?? 'TCP') === protocol);
    if (found) return found.containerPort;
  }
  return undefined;
}

/** The pod's IP, or undefined when it has none yet (not scheduled or not started). */
export function podIp(pod: Pod): string | undefined {
  return pod.status?.podIP || pod.status?.podIPs?.[0]?.ip || undefined;
}

/** A reference to the pod as Endpoints and EndpointSlices carry it. */
export function podTargetRef(pod: Pod): { kind: 'Pod'; namespace?: string; name?: string; uid?: string } {
  return { kind: 'Pod', namespace: pod.metadata?.namespace, name: pod.metadata?.name, uid: pod.metadata?.uid };
}

/** The pod's DNS hostname under a headless Service whose name is its subdomain, as upstream sets it. */
export function podHostname(pod: Pod, service: Service): string | undefined {
  const spec = pod.spec;
  return spec?.hostname && spec.subdomain === service.metadata?.name && service.metadata?.namespace === pod.metadata?.namespace ? spec.hostname : undefined;
}

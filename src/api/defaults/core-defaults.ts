import type {
  Endpoints, LimitRange, Namespace, NamespaceStatus, Node, PersistentVolume, PersistentVolumeClaim, PersistentVolumeClaimSpec,
  PersistentVolumeClaimStatus, PersistentVolumeStatus, PodTemplate, ReplicationController, Secret, Service,
} from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../types.ts';
import { defaultPodTemplateSpec } from './pod-defaults.ts';

/** kubernetes-types marks `status` read-only; defaulters are where upstream fills it in. */
function statusOf<T>(obj: KubeObject): T {
  const holder = obj as { status?: T };
  holder.status ??= {} as T;
  return holder.status;
}

/** Service: type, session affinity, port protocol and targetPort, traffic and IP-family policies. */
export function defaultService(obj: KubeObject): void {
  const spec = ((obj as Service).spec ??= {});
  spec.type ??= 'ClusterIP';
  spec.sessionAffinity ??= 'None';
  if (spec.sessionAffinity === 'ClientIP') {
    const clientIP = ((spec.sessionAffinityConfig ??= {}).clientIP ??= {});
    clientIP.timeoutSeconds ??= 10800;
  }
  for (const port of spec.ports ?? []) {
    port.protocol ??= 'TCP';
    if (port.targetPort === undefined || port.targetPort === 0 || port.targetPort === '') port.targetPort = port.port;
  }
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') spec.externalTrafficPolicy ??= 'Cluster';
  if (spec.type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
  if (spec.type !== 'ExternalName') {
    spec.internalTrafficPolicy ??= 'Cluster';
    spec.ipFamilyPolicy ??= 'SingleStack';
    spec.ipFamilies ??= ['IPv4'];
  }
}

/** Namespace: the `kubernetes` finalizer and phase Active. */
export function defaultNamespace(obj: KubeObject): void {
  const spec = ((obj as Namespace).spec ??= {});
  spec.finalizers ??= ['kubernetes'];
  statusOf<NamespaceStatus>(obj).phase ??= 'Active';
}

/**
 * Secret: type Opaque, and `stringData` folded into base64 `data` (write-only field, as upstream's
 * conversion does; stringData wins over data for the same key).
 */
export function defaultSecret(obj: KubeObject): void {
  const secret = obj as Secret;
  secret.type ??= 'Opaque';
  if (!secret.stringData) return;
  const data = (secret.data ??= {});
  for (const [key, value] of Object.entries(secret.stringData)) data[key] = Buffer.from(String(value), 'utf8').toString('base64');
  delete secret.stringData;
}

/** A claim spec: volumeMode Filesystem. */
export function defaultClaimSpec(spec: PersistentVolumeClaimSpec): void {
  spec.volumeMode ??= 'Filesystem';
}

/** PersistentVolumeClaim: volumeMode Filesystem, phase Pending. */
export function defaultPersistentVolumeClaim(obj: KubeObject): void {
  defaultClaimSpec(((obj as PersistentVolumeClaim).spec ??= {}));
  statusOf<PersistentVolumeClaimStatus>(obj).phase ??= 'Pending';
}

/** PersistentVolume: reclaim policy Retain, volumeMode Filesystem, phase Pending. */
export function defaultPersistentVolume(obj: KubeObject): void {
  const spec = ((obj as PersistentVolume).spec ??= {});
  spec.persistentVolumeReclaimPolicy ??= 'Retain';
  spec.volumeMode ??= 'Filesystem';
  if (spec.hostPath) spec.hostPath.type ??= '';
  statusOf<PersistentVolumeStatus>(obj).phase ??= 'Pending';
}

/** Endpoints: port protocol TCP. */
export function defaultEndpoints(obj: KubeObject): void {
  for (const subset of (obj as Endpoints).subsets ?? []) {
    for (const port of subset.ports ?? []) port.protocol ??= 'TCP';
  }
}

/** LimitRange container items: default from max, defaultRequest from default then min. */
export function defaultLimitRange(obj: KubeObject): void {
  for (const item of (obj as LimitRange).spec?.limits ?? []) {
    if (item.type !== 'Container') continue;
    const defaults = (item.default ??= {});
    for (const [name, value] of Object.entries(item.max ?? {})) defaults[name] ??= value;
    const requests = (item.defaultRequest ??= {});
    for (const [name, value] of Object.entries(defaults)) requests[name] ??= value;
    for (const [name, value] of Object.entries(item.min ?? {})) requests[name] ??= value;
  }
}

/** Node: allocatable defaults to capacity. */
export function defaultNode(obj: KubeObject): void {
  const status = (obj as Node).status;
  if (status?.capacity && !status.allocatable) (status as { allocatable?: Record<string, string> }).allocatable = { ...status.capacity };
}

/** PodTemplate: pod spec defaults. */
export function defaultPodTemplate(obj: KubeObject): void {
  defaultPodTemplateSpec((obj as PodTemplate).template);
}

/** ReplicationController: selector and labels from the template's labels, one replica. */
export function defaultReplicationController(obj: KubeObject): void {
  const rc = obj as ReplicationController;
  const spec = (rc.spec ??= {});
  const templateLabels = spec.template?.metadata?.labels;
  if (templateLabels) {
    if (!spec.selector || Object.keys(spec.selector).length === 0) spec.selector = { ...templateLabels };
    const meta = (rc.metadata ??= {});
    if (!meta.labels || Object.keys(meta.labels).length === 0) meta.labels = { ...templateLabels };
  }
  spec.replicas ??= 1;
  defaultPodTemplateSpec(spec.template);
}

import type { Container, Pod, PodSpec, PodStatus, PodTemplateSpec, Probe, ResourceRequirements, Volume } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../types.ts';
import { compareQuantities, isQuantity, parseQuantity } from '../quantity.ts';

/** Mode 0644, upstream's default for secret, configMap, downwardAPI and projected volumes. */
export const DEFAULT_FILE_MODE = 0o644;

/** `Always` for `:latest` or untagged images, else `IfNotPresent` (digests count as pinned). */
export function defaultPullPolicy(image: string): 'Always' | 'IfNotPresent' {
  if (image.includes('@')) return 'IfNotPresent';
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  return colon < 0 || lastSegment.slice(colon + 1) === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultProbe(probe: Probe | undefined): void {
  if (!probe) return;
  probe.timeoutSeconds ??= 1;
  probe.periodSeconds ??= 10;
  probe.successThreshold ??= 1;
  probe.failureThreshold ??= 3;
  if (probe.httpGet) {
    probe.httpGet.path ??= '/';
    probe.httpGet.scheme ??= 'HTTP';
  }
}

/** Requests default to limits for resources that have a limit and no request. */
function defaultRequestsFromLimits(resources: ResourceRequirements | undefined): void {
  if (!resources?.limits) return;
  const requests = (resources.requests ??= {});
  for (const [name, limit] of Object.entries(resources.limits)) requests[name] ??= limit;
}

function defaultContainer(c: Container, hostNetwork: boolean): void {
  if (c.image) c.imagePullPolicy ??= defaultPullPolicy(c.image);
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  // Upstream's Go struct always serializes `resources: {}`; kubectl diff/apply compare against it.
  (c as { resources?: object }).resources ??= {};
  for (const port of c.ports ?? []) {
    port.protocol ??= 'TCP';
    if (hostNetwork) port.hostPort ??= port.containerPort;
  }
  for (const env of c.env ?? []) {
    if (env.valueFrom?.fieldRef) env.valueFrom.fieldRef.apiVersion ??= 'v1';
  }
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  for (const handler of [c.lifecycle?.postStart, c.lifecycle?.preStop]) {
    if (handler?.httpGet) {
      handler.httpGet.path ??= '/';
      handler.httpGet.scheme ??= 'HTTP';
    }
  }
}

const VOLUME_SOURCE_KEYS = [
  'hostPath', 'emptyDir', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'secret', 'nfs', 'iscsi', 'glusterfs',
  'persistentVolumeClaim', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'downwardAPI', 'fc', 'azureFile',
  'configMap', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'projected', 'portworxVolume',
  'scaleIO', 'storageos', 'csi', 'ephemeral', 'image',
];

function defaultVolume(volume: Volume): void {
  const record = volume as unknown as Record<string, unknown>;
  // A volume with no source is an emptyDir, as upstream decides.
  if (!VOLUME_SOURCE_KEYS.some((k) => record[k] !== undefined)) volume.emptyDir = {};
  if (volume.secret) volume.secret.defaultMode ??= DEFAULT_FILE_MODE;
  if (volume.configMap) volume.configMap.defaultMode ??= DEFAULT_FILE_MODE;
  if (volume.projected) volume.projected.defaultMode ??= DEFAULT_FILE_MODE;
  if (volume.downwardAPI) {
    volume.downwardAPI.defaultMode ??= DEFAULT_FILE_MODE;
    for (const item of volume.downwardAPI.items ?? []) if (item.fieldRef) item.fieldRef.apiVersion ??= 'v1';
  }
  if (volume.hostPath) volume.hostPath.type ??= '';
  for (const source of volume.projected?.sources ?? []) {
    for (const item of source.downwardAPI?.items ?? []) if (item.fieldRef) item.fieldRef.apiVersion ??= 'v1';
    if (source.serviceAccountToken) source.serviceAccountToken.expirationSeconds ??= 3600;
  }
}

/** Upstream's `SetDefaults_PodSpec` and the nested container, probe and volume defaults. */
export function defaultPodSpec(spec: PodSpec): void {
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.securityContext ??= {};
  spec.schedulerName ??= 'default-scheduler';
  const hostNetwork = spec.hostNetwork === true;
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
    defaultContainer(c, hostNetwork);
    defaultRequestsFromLimits(c.resources);
  }
  for (const volume of spec.volumes ?? []) defaultVolume(volume);
}

/** Pod templates inside workloads get the same spec defaults as pods. */
export function defaultPodTemplateSpec(template: PodTemplateSpec | undefined): void {
  if (template?.spec) defaultPodSpec(template.spec);
}

/**
 * Pod: spec defaults plus what kube-apiserver adds to bare pods at creation (service links, the
 * `default` service account, priority 0 with `PreemptLowerPriority`, phase Pending and QoS class).
 */
export function defaultPod(obj: KubeObject): void {
  const pod = obj as Pod;
  const spec = (pod.spec ??= { containers: [] });
  defaultPodSpec(spec);
  spec.enableServiceLinks ??= true;
  spec.serviceAccountName ??= spec.serviceAccount ?? 'default';
  spec.serviceAccount ??= spec.serviceAccountName;
  spec.priority ??= 0;
  spec.preemptionPolicy ??= 'PreemptLowerPriority';
  // kubernetes-types marks status read-only; creation is where upstream's strategy sets it.
  const status = ((obj as { status?: PodStatus }).status ??= {});
  status.phase ??= 'Pending';
  status.qosClass ??= podQosClass(spec);
}

/** The QoS class kubelet and the scheduler use: Guaranteed, Burstable or BestEffort. */
export function podQosClass(spec: PodSpec): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const containers = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
  const settings = containers.flatMap((c) => [...Object.entries(c.resources?.requests ?? {}), ...Object.entries(c.resources?.limits ?? {})]);
  const nonZero = settings.filter(([, v]) => isQuantity(v) && parseQuantity(v).nanos !== 0n);
  if (nonZero.length === 0) return 'BestEffort';
  const guaranteed = containers.every((c) => ['cpu', 'memory'].every((name) => {
    const limit = c.resources?.limits?.[name];
    const request = c.resources?.requests?.[name] ?? limit;
    return isQuantity(limit) && isQuantity(request) && compareQuantities(parseQuantity(limit), parseQuantity(request)) === 0;
  }));
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

/** Which REST resource a client call addresses. */
export interface ResourceRef {
  group: string;
  version: string;
  /** Plural, as in the URL. */
  resource: string;
  kind: string;
  namespaced: boolean;
}

const ref = (group: string, version: string, resource: string, kind: string, namespaced = true): ResourceRef => ({ group, version, resource, kind, namespaced });

/** The built-in resources components use, by name. */
export const R = {
  namespaces: ref('', 'v1', 'namespaces', 'Namespace', false),
  nodes: ref('', 'v1', 'nodes', 'Node', false),
  pods: ref('', 'v1', 'pods', 'Pod'),
  services: ref('', 'v1', 'services', 'Service'),
  endpoints: ref('', 'v1', 'endpoints', 'Endpoints'),
  configmaps: ref('', 'v1', 'configmaps', 'ConfigMap'),
  secrets: ref('', 'v1', 'secrets', 'Secret'),
  serviceaccounts: ref('', 'v1', 'serviceaccounts', 'ServiceAccount'),
  events: ref('', 'v1', 'events', 'Event'),
  persistentvolumes: ref('', 'v1', 'persistentvolumes', 'PersistentVolume', false),
  persistentvolumeclaims: ref('', 'v1', 'persistentvolumeclaims', 'PersistentVolumeClaim'),
  resourcequotas: ref('', 'v1', 'resourcequotas', 'ResourceQuota'),
  limitranges: ref('', 'v1', 'limitranges', 'LimitRange'),
  replicationcontrollers: ref('', 'v1', 'replicationcontrollers', 'ReplicationController'),
  deployments: ref('apps', 'v1', 'deployments', 'Deployment'),
  replicasets: ref('apps', 'v1', 'replicasets', 'ReplicaSet'),
  statefulsets: ref('apps', 'v1', 'statefulsets', 'StatefulSet'),
  daemonsets: ref('apps', 'v1', 'daemonsets', 'DaemonSet'),
  controllerrevisions: ref('apps', 'v1', 'controllerrevisions', 'ControllerRevision'),
  jobs: ref('batch', 'v1', 'jobs', 'Job'),
  cronjobs: ref('batch', 'v1', 'cronjobs', 'CronJob'),
  horizontalpodautoscalers: ref('autoscaling', 'v2', 'horizontalpodautoscalers', 'HorizontalPodAutoscaler'),
  poddisruptionbudgets: ref('policy', 'v1', 'poddisruptionbudgets', 'PodDisruptionBudget'),
  leases: ref('coordination.k8s.io', 'v1', 'leases', 'Lease'),
  endpointslices: ref('discovery.k8s.io', 'v1', 'endpointslices', 'EndpointSlice'),
  storageclasses: ref('storage.k8s.io', 'v1', 'storageclasses', 'StorageClass', false),
  networkpolicies: ref('networking.k8s.io', 'v1', 'networkpolicies', 'NetworkPolicy'),
  customresourcedefinitions: ref('apiextensions.k8s.io', 'v1', 'customresourcedefinitions', 'CustomResourceDefinition', false),
} as const;

/** `/api/v1/namespaces/ns/pods/name/sub` for a resource reference. */
export function resourcePath(r: ResourceRef, namespace?: string, name?: string, subresource?: string): string {
  let path = r.group === '' ? `/api/${r.version}` : `/apis/${r.group}/${r.version}`;
  if (r.namespaced && namespace) path += `/namespaces/${encodeURIComponent(namespace)}`;
  path += `/${r.resource}`;
  if (name !== undefined) path += `/${encodeURIComponent(name)}`;
  if (subresource) path += `/${subresource}`;
  return path;
}

export function apiVersionOfRef(r: ResourceRef): string {
  return r.group === '' ? r.version : `${r.group}/${r.version}`;
}

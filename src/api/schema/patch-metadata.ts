import type { JsonSchema } from './types.ts';

/**
 * Our own table of list/map merge semantics for built-in kinds — the facts upstream carries as Go
 * struct tags (`+patchStrategy`, `+patchMergeKey`, `+listType`, `+listMapKey`, `+structType`).
 * Strategic merge patch reads `x-kubernetes-patch-*`; server-side apply reads
 * `x-kubernetes-list-*` / `x-kubernetes-map-type`. A list without an entry is atomic (replaced
 * whole) for both, which is upstream's default too.
 */
type FieldMetadata = Pick<
  JsonSchema,
  'x-kubernetes-patch-strategy' | 'x-kubernetes-patch-merge-key' | 'x-kubernetes-list-type' | 'x-kubernetes-list-map-keys' | 'x-kubernetes-map-type'
>;

/** A list merged by key under both SMP and apply (`+patchStrategy=merge +listType=map`). */
function keyedList(key: string, ...extraKeys: string[]): FieldMetadata {
  return {
    'x-kubernetes-patch-strategy': 'merge',
    'x-kubernetes-patch-merge-key': key,
    'x-kubernetes-list-type': 'map',
    'x-kubernetes-list-map-keys': [key, ...extraKeys],
  };
}

/** Like keyedList, but SMP also honours `$retainKeys` inside each element (volume sources are one-of). */
function keyedRetainList(key: string): FieldMetadata {
  return { ...keyedList(key), 'x-kubernetes-patch-strategy': 'merge,retainKeys' };
}

const MERGED_SET: FieldMetadata = { 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-list-type': 'set' };
const ATOMIC: FieldMetadata = { 'x-kubernetes-list-type': 'atomic' };
const CONDITIONS = keyedList('type');

const CORE = 'io.k8s.api.core.v1';
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

const CONTAINER_LISTS: Record<string, FieldMetadata> = {
  args: ATOMIC,
  command: ATOMIC,
  env: keyedList('name'),
  envFrom: ATOMIC,
  ports: keyedList('containerPort', 'protocol'),
  resizePolicy: ATOMIC,
  volumeDevices: keyedList('devicePath'),
  volumeMounts: keyedList('mountPath'),
};

/** Field metadata by definition name, then property name. */
export const FIELD_METADATA: Record<string, Record<string, FieldMetadata>> = {
  [`${META}.ObjectMeta`]: { finalizers: MERGED_SET, ownerReferences: keyedList('uid'), managedFields: ATOMIC },
  [`${META}.LabelSelector`]: { matchExpressions: ATOMIC },
  [`${CORE}.PodSpec`]: {
    containers: keyedList('name'),
    ephemeralContainers: keyedList('name'),
    hostAliases: keyedList('ip'),
    imagePullSecrets: keyedList('name'),
    initContainers: keyedList('name'),
    readinessGates: ATOMIC,
    resourceClaims: keyedRetainList('name'),
    schedulingGates: keyedList('name'),
    tolerations: ATOMIC,
    topologySpreadConstraints: keyedList('topologyKey', 'whenUnsatisfiable'),
    volumes: keyedRetainList('name'),
  },
  [`${CORE}.Container`]: CONTAINER_LISTS,
  [`${CORE}.EphemeralContainer`]: CONTAINER_LISTS,
  [`${CORE}.PodStatus`]: {
    conditions: CONDITIONS,
    containerStatuses: ATOMIC,
    ephemeralContainerStatuses: ATOMIC,
    hostIPs: { 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-patch-merge-key': 'ip', 'x-kubernetes-list-type': 'atomic' },
    initContainerStatuses: ATOMIC,
    podIPs: keyedList('ip'),
    resourceClaimStatuses: keyedRetainList('name'),
  },
  [`${CORE}.ServiceSpec`]: { clusterIPs: ATOMIC, externalIPs: ATOMIC, ipFamilies: ATOMIC, ports: keyedList('port', 'protocol') },
  [`${CORE}.ServiceStatus`]: { conditions: CONDITIONS },
  [`${CORE}.LoadBalancerStatus`]: { ingress: ATOMIC },
  [`${CORE}.NodeSpec`]: { podCIDRs: MERGED_SET, taints: ATOMIC },
  [`${CORE}.NodeStatus`]: { addresses: keyedList('type'), conditions: CONDITIONS, images: ATOMIC, volumesAttached: ATOMIC, volumesInUse: ATOMIC },
  [`${CORE}.NamespaceSpec`]: { finalizers: ATOMIC },
  [`${CORE}.NamespaceStatus`]: { conditions: CONDITIONS },
  [`${CORE}.PersistentVolumeClaimSpec`]: { accessModes: ATOMIC },
  [`${CORE}.PersistentVolumeClaimStatus`]: { accessModes: ATOMIC, conditions: CONDITIONS },
  [`${CORE}.PersistentVolumeSpec`]: { accessModes: ATOMIC, mountOptions: ATOMIC },
  [`${CORE}.ReplicationControllerStatus`]: { conditions: CONDITIONS },
  [`${CORE}.ServiceAccount`]: { imagePullSecrets: ATOMIC, secrets: keyedList('name') },
  [`${CORE}.Endpoints`]: { subsets: ATOMIC },
  [`${CORE}.Capabilities`]: { add: ATOMIC, drop: ATOMIC },
  'io.k8s.api.apps.v1.DeploymentSpec': { strategy: { 'x-kubernetes-patch-strategy': 'retainKeys' } },
  'io.k8s.api.apps.v1.DeploymentStatus': { conditions: CONDITIONS },
  'io.k8s.api.apps.v1.ReplicaSetStatus': { conditions: CONDITIONS },
  'io.k8s.api.apps.v1.DaemonSetStatus': { conditions: CONDITIONS },
  'io.k8s.api.apps.v1.StatefulSetSpec': { volumeClaimTemplates: ATOMIC },
  'io.k8s.api.apps.v1.StatefulSetStatus': { conditions: CONDITIONS },
  // Job conditions merge by type under SMP but are atomic for apply, as upstream tags them.
  'io.k8s.api.batch.v1.JobStatus': { conditions: { 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-patch-merge-key': 'type', 'x-kubernetes-list-type': 'atomic' } },
  'io.k8s.api.batch.v1.CronJobStatus': { active: ATOMIC },
  'io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerSpec': { metrics: ATOMIC },
  'io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerStatus': { conditions: CONDITIONS, currentMetrics: ATOMIC },
  'io.k8s.api.policy.v1.PodDisruptionBudgetStatus': { conditions: CONDITIONS },
  'io.k8s.api.networking.v1.IngressSpec': { rules: ATOMIC, tls: ATOMIC },
  'io.k8s.api.networking.v1.NetworkPolicySpec': { egress: ATOMIC, ingress: ATOMIC, policyTypes: ATOMIC },
  'io.k8s.api.rbac.v1.ClusterRole': { rules: ATOMIC },
  'io.k8s.api.rbac.v1.Role': { rules: ATOMIC },
  'io.k8s.api.rbac.v1.RoleBinding': { subjects: ATOMIC },
  'io.k8s.api.rbac.v1.ClusterRoleBinding': { subjects: ATOMIC },
  'io.k8s.api.discovery.v1.EndpointSlice': { endpoints: ATOMIC, ports: ATOMIC },
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionSpec': { versions: ATOMIC },
  // CRD conditions are a map for apply but carry no SMP strategy upstream.
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionStatus': {
    conditions: { 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['type'] },
    storedVersions: ATOMIC,
  },
};

/** Structs apply treats as one value (`+structType=atomic`): a new value replaces the old whole. */
export const ATOMIC_STRUCTS: string[] = [
  `${META}.LabelSelector`,
  `${CORE}.LocalObjectReference`,
  `${CORE}.ObjectReference`,
  `${CORE}.TypedLocalObjectReference`,
  `${CORE}.ConfigMapKeySelector`,
  `${CORE}.SecretKeySelector`,
  `${CORE}.ObjectFieldSelector`,
  `${CORE}.ResourceFieldSelector`,
  `${CORE}.NodeSelector`,
  `${CORE}.NodeSelectorTerm`,
  `${CORE}.TopologySelectorTerm`,
  `${CORE}.SecretReference`,
];

/**
 * Returns a copy of `definitions` with the patch/list metadata tables applied. Throws when a table
 * entry names a definition or property that does not exist: the table is static, so that is a
 * programming error a test must catch.
 */
export function applyPatchMetadata(definitions: Record<string, JsonSchema>): Record<string, JsonSchema> {
  const out = structuredClone(definitions);
  for (const [defName, fields] of Object.entries(FIELD_METADATA)) {
    const props = out[defName]?.properties;
    if (props === undefined) throw new Error(`patch metadata: no definition ${defName}`);
    for (const [field, meta] of Object.entries(fields)) {
      const prop = props[field];
      if (prop === undefined) throw new Error(`patch metadata: ${defName} has no property ${field}`);
      props[field] = { ...prop, ...structuredClone(meta) };
    }
  }
  for (const defName of ATOMIC_STRUCTS) {
    const def = out[defName];
    if (def === undefined) throw new Error(`patch metadata: no definition ${defName}`);
    def['x-kubernetes-map-type'] = 'atomic';
  }
  return out;
}

import type { ResourceDefinition, SubresourceDefinition, Verb } from './resource-definition.ts';

const ALL: Verb[] = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const GET_UPDATE: Verb[] = ['get', 'patch', 'update'];
const STATUS: SubresourceDefinition = { name: 'status', verbs: GET_UPDATE };
/** `proxy` on nodes, pods and services: every verb an HTTP method maps to (see the API server's proxy handler). */
const PROXY: SubresourceDefinition = { name: 'proxy', verbs: ['create', 'delete', 'get', 'patch', 'update'] };
const SCALE: SubresourceDefinition = { name: 'scale', kind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: GET_UPDATE };

interface Spec {
  kind: string;
  plural?: string;
  namespaced?: boolean;
  shortNames?: string[];
  categories?: string[];
  subresources?: SubresourceDefinition[];
  verbs?: Verb[];
  virtual?: boolean;
  /** Schema package segment when it differs from the group's first label (e.g. `events.k8s.io` → `events`). */
}

/** Definition-name prefix of a group's types, as upstream names its OpenAPI definitions. */
export function schemaPackage(group: string): string {
  if (group === '') return 'io.k8s.api.core';
  if (group === 'apiextensions.k8s.io') return 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions';
  if (group === 'apiregistration.k8s.io') return 'io.k8s.kube-aggregator.pkg.apis.apiregistration';
  return `io.k8s.api.${group.split('.')[0]}`;
}

function plural(kind: string): string {
  const lower = kind.toLowerCase();
  if (lower.endsWith('s')) return `${lower}es`;
  if (lower.endsWith('y')) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}

function define(group: string, version: string, specs: Spec[]): ResourceDefinition[] {
  return specs.map((s) => {
    const subresources = s.subresources ?? [];
    return {
      group,
      version,
      kind: s.kind,
      listKind: `${s.kind}List`,
      plural: s.plural ?? plural(s.kind),
      singular: s.kind.toLowerCase(),
      namespaced: s.namespaced ?? true,
      verbs: s.verbs ?? ALL,
      shortNames: s.shortNames,
      categories: s.categories,
      subresources,
      hasStatusSubresource: subresources.some((r) => r.name === 'status'),
      virtual: s.virtual,
      schemaName: `${schemaPackage(group)}.${version}.${s.kind}`,
    };
  });
}

const REVIEW: Verb[] = ['create'];

/** Every built-in resource Minato serves, in discovery order (core first, as kube-apiserver lists them). */
export const BUILTIN_RESOURCES: ResourceDefinition[] = [
  ...define('', 'v1', [
    { kind: 'Binding', verbs: ['create'], virtual: true },
    { kind: 'ConfigMap', shortNames: ['cm'] },
    { kind: 'Endpoints', plural: 'endpoints', shortNames: ['ep'] },
    { kind: 'Event', shortNames: ['ev'] },
    { kind: 'LimitRange', shortNames: ['limits'] },
    { kind: 'Namespace', namespaced: false, shortNames: ['ns'], subresources: [STATUS, { name: 'finalize', verbs: ['update'] }], verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] },
    { kind: 'Node', namespaced: false, shortNames: ['no'], subresources: [PROXY, STATUS] },
    { kind: 'PersistentVolumeClaim', shortNames: ['pvc'], subresources: [STATUS] },
    { kind: 'PersistentVolume', namespaced: false, shortNames: ['pv'], subresources: [STATUS] },
    {
      kind: 'Pod',
      shortNames: ['po'],
      categories: ['all'],
      subresources: [
        { name: 'attach', verbs: ['create', 'get'] },
        { name: 'binding', kind: { group: '', version: 'v1', kind: 'Binding' }, verbs: ['create'] },
        { name: 'eviction', kind: { group: 'policy', version: 'v1', kind: 'Eviction' }, verbs: ['create'] },
        { name: 'exec', verbs: ['create', 'get'] },
        { name: 'log', verbs: ['get'] },
        { name: 'portforward', verbs: ['create', 'get'] },
        PROXY,
        STATUS,
      ],
    },
    { kind: 'PodTemplate' },
    { kind: 'ReplicationController', shortNames: ['rc'], categories: ['all'], subresources: [SCALE, STATUS] },
    { kind: 'ResourceQuota', shortNames: ['quota'], subresources: [STATUS] },
    { kind: 'Secret' },
    { kind: 'ServiceAccount', shortNames: ['sa'], subresources: [{ name: 'token', kind: { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest' }, verbs: ['create'] }] },
    { kind: 'Service', shortNames: ['svc'], categories: ['all'], subresources: [PROXY, STATUS] },
  ]),
  ...define('apps', 'v1', [
    { kind: 'ControllerRevision' },
    { kind: 'DaemonSet', shortNames: ['ds'], categories: ['all'], subresources: [STATUS] },
    { kind: 'Deployment', shortNames: ['deploy'], categories: ['all'], subresources: [SCALE, STATUS] },
    { kind: 'ReplicaSet', shortNames: ['rs'], categories: ['all'], subresources: [SCALE, STATUS] },
    { kind: 'StatefulSet', shortNames: ['sts'], categories: ['all'], subresources: [SCALE, STATUS] },
  ]),
  ...define('events.k8s.io', 'v1', [{ kind: 'Event', shortNames: ['ev'] }]),
  ...define('authentication.k8s.io', 'v1', [
    { kind: 'SelfSubjectReview', namespaced: false, verbs: REVIEW, virtual: true },
    { kind: 'TokenReview', namespaced: false, verbs: REVIEW, virtual: true },
  ]),
  ...define('authorization.k8s.io', 'v1', [
    { kind: 'LocalSubjectAccessReview', verbs: REVIEW, virtual: true },
    { kind: 'SelfSubjectAccessReview', namespaced: false, verbs: REVIEW, virtual: true },
    { kind: 'SelfSubjectRulesReview', namespaced: false, verbs: REVIEW, virtual: true },
    { kind: 'SubjectAccessReview', namespaced: false, verbs: REVIEW, virtual: true },
  ]),
  ...define('autoscaling', 'v2', [{ kind: 'HorizontalPodAutoscaler', shortNames: ['hpa'], categories: ['all'], subresources: [STATUS] }]),
  ...define('autoscaling', 'v1', [{ kind: 'HorizontalPodAutoscaler', shortNames: ['hpa'], categories: ['all'], subresources: [STATUS] }]),
  ...define('batch', 'v1', [
    { kind: 'CronJob', shortNames: ['cj'], categories: ['all'], subresources: [STATUS] },
    { kind: 'Job', categories: ['all'], subresources: [STATUS] },
  ]),
  ...define('networking.k8s.io', 'v1', [
    { kind: 'IngressClass', namespaced: false },
    { kind: 'Ingress', shortNames: ['ing'], subresources: [STATUS] },
    { kind: 'NetworkPolicy', shortNames: ['netpol'] },
  ]),
  ...define('policy', 'v1', [{ kind: 'PodDisruptionBudget', shortNames: ['pdb'], subresources: [STATUS] }]),
  ...define('rbac.authorization.k8s.io', 'v1', [
    { kind: 'ClusterRoleBinding', namespaced: false },
    { kind: 'ClusterRole', namespaced: false },
    { kind: 'RoleBinding' },
    { kind: 'Role' },
  ]),
  ...define('scheduling.k8s.io', 'v1', [{ kind: 'PriorityClass', namespaced: false, shortNames: ['pc'] }]),
  ...define('storage.k8s.io', 'v1', [{ kind: 'StorageClass', namespaced: false, shortNames: ['sc'] }]),
  ...define('apiextensions.k8s.io', 'v1', [{ kind: 'CustomResourceDefinition', namespaced: false, shortNames: ['crd', 'crds'], categories: ['api-extensions'], subresources: [STATUS] }]),
  ...define('coordination.k8s.io', 'v1', [{ kind: 'Lease' }]),
  ...define('discovery.k8s.io', 'v1', [{ kind: 'EndpointSlice' }]),
];

/**
 * Resources served at more than one version share one store key space; this maps each served
 * version to the storage version, as kube-apiserver stores autoscaling HPAs as v2.
 */
export const STORAGE_VERSION: Record<string, string> = {
  'autoscaling/HorizontalPodAutoscaler': 'v2',
};

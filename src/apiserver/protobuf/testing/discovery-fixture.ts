/** Legacy discovery documents for the resources the kubectl protobuf tests touch (test-only). */

interface StubResource {
  groupVersion: string;
  name: string;
  kind: string;
  namespaced: boolean;
  shortNames?: string[];
  /** For subresources whose kind lives in another group (e.g. serviceaccounts/token → authentication). */
  group?: string;
  version?: string;
  verbs?: string[];
}

const CRUD = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

const resources: StubResource[] = [
  { groupVersion: 'v1', name: 'namespaces', kind: 'Namespace', namespaced: false, shortNames: ['ns'] },
  { groupVersion: 'v1', name: 'configmaps', kind: 'ConfigMap', namespaced: true, shortNames: ['cm'] },
  { groupVersion: 'v1', name: 'secrets', kind: 'Secret', namespaced: true },
  { groupVersion: 'v1', name: 'services', kind: 'Service', namespaced: true, shortNames: ['svc'] },
  { groupVersion: 'v1', name: 'serviceaccounts', kind: 'ServiceAccount', namespaced: true, shortNames: ['sa'] },
  { groupVersion: 'v1', name: 'serviceaccounts/token', kind: 'TokenRequest', namespaced: true,
    group: 'authentication.k8s.io', version: 'v1', verbs: ['create'] },
  { groupVersion: 'v1', name: 'resourcequotas', kind: 'ResourceQuota', namespaced: true, shortNames: ['quota'] },
  { groupVersion: 'v1', name: 'pods', kind: 'Pod', namespaced: true, shortNames: ['po'] },
  { groupVersion: 'v1', name: 'pods/eviction', kind: 'Eviction', namespaced: true,
    group: 'policy', version: 'v1', verbs: ['create'] },
  { groupVersion: 'v1', name: 'nodes', kind: 'Node', namespaced: false, shortNames: ['no'] },
  { groupVersion: 'apps/v1', name: 'deployments', kind: 'Deployment', namespaced: true, shortNames: ['deploy'] },
  { groupVersion: 'apps/v1', name: 'deployments/scale', kind: 'Scale', namespaced: true,
    group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] },
  { groupVersion: 'batch/v1', name: 'jobs', kind: 'Job', namespaced: true },
  { groupVersion: 'batch/v1', name: 'cronjobs', kind: 'CronJob', namespaced: true, shortNames: ['cj'] },
  { groupVersion: 'rbac.authorization.k8s.io/v1', name: 'roles', kind: 'Role', namespaced: true },
  { groupVersion: 'rbac.authorization.k8s.io/v1', name: 'rolebindings', kind: 'RoleBinding', namespaced: true },
  { groupVersion: 'rbac.authorization.k8s.io/v1', name: 'clusterroles', kind: 'ClusterRole', namespaced: false },
  { groupVersion: 'rbac.authorization.k8s.io/v1', name: 'clusterrolebindings', kind: 'ClusterRoleBinding', namespaced: false },
  { groupVersion: 'policy/v1', name: 'poddisruptionbudgets', kind: 'PodDisruptionBudget', namespaced: true, shortNames: ['pdb'] },
  { groupVersion: 'scheduling.k8s.io/v1', name: 'priorityclasses', kind: 'PriorityClass', namespaced: false, shortNames: ['pc'] },
  { groupVersion: 'networking.k8s.io/v1', name: 'ingresses', kind: 'Ingress', namespaced: true, shortNames: ['ing'] },
  { groupVersion: 'authentication.k8s.io/v1', name: 'selfsubjectreviews', kind: 'SelfSubjectReview', namespaced: false, verbs: ['create'] },
  { groupVersion: 'authorization.k8s.io/v1', name: 'selfsubjectaccessreviews', kind: 'SelfSubjectAccessReview', namespaced: false, verbs: ['create'] },
  { groupVersion: 'authorization.k8s.io/v1', name: 'selfsubjectrulesreviews', kind: 'SelfSubjectRulesReview', namespaced: false, verbs: ['create'] },
  { groupVersion: 'autoscaling/v2', name: 'horizontalpodautoscalers', kind: 'HorizontalPodAutoscaler', namespaced: true, shortNames: ['hpa'] },
  { groupVersion: 'autoscaling/v1', name: 'horizontalpodautoscalers', kind: 'HorizontalPodAutoscaler', namespaced: true, shortNames: ['hpa'] },
  { groupVersion: 'certificates.k8s.io/v1', name: 'certificatesigningrequests', kind: 'CertificateSigningRequest', namespaced: false, shortNames: ['csr'] },
  { groupVersion: 'certificates.k8s.io/v1', name: 'certificatesigningrequests/approval', kind: 'CertificateSigningRequest', namespaced: false, verbs: ['get', 'patch', 'update'] },
];

function groupVersions(): string[] {
  return [...new Set(resources.map((r) => r.groupVersion))];
}

/** The JSON body for a legacy discovery path (`/api`, `/api/v1`, `/apis`, `/apis/<g>/<v>`), or undefined. */
export function discoveryDocument(path: string): unknown {
  if (path === '/api') return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] };
  if (path === '/apis') {
    const byGroup = new Map<string, string[]>();
    for (const gv of groupVersions().filter((v) => v.includes('/'))) {
      const [group = '', version = ''] = gv.split('/');
      byGroup.set(group, [...(byGroup.get(group) ?? []), version]);
    }
    const groups = [...byGroup].map(([name, versions]) => ({
      name,
      versions: versions.map((version) => ({ groupVersion: `${name}/${version}`, version })),
      preferredVersion: { groupVersion: `${name}/${versions[0] ?? ''}`, version: versions[0] ?? '' },
    }));
    return { kind: 'APIGroupList', apiVersion: 'v1', groups };
  }
  const gv = path === '/api/v1' ? 'v1' : path.startsWith('/apis/') ? path.slice('/apis/'.length) : '';
  if (!groupVersions().includes(gv)) return undefined;
  return {
    kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv,
    resources: resources.filter((r) => r.groupVersion === gv).map((r) => ({
      name: r.name, singularName: r.name.includes('/') ? '' : r.kind.toLowerCase(), namespaced: r.namespaced,
      kind: r.kind, verbs: r.verbs ?? CRUD, ...(r.shortNames ? { shortNames: r.shortNames } : {}),
      ...(r.group !== undefined ? { group: r.group, version: r.version } : {}),
    })),
  };
}

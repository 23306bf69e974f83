import type { ClusterRole, ClusterRoleBinding, PolicyRule } from 'kubernetes-types/rbac/v1.js';
import type { KubeObject } from '../../api/types.ts';
import { ALL_AUTHENTICATED, ALL_UNAUTHENTICATED, SYSTEM_MASTERS } from './user-info.ts';

const RBAC_API_VERSION = 'rbac.authorization.k8s.io/v1';
const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];

/** Namespaced workload resources, by API group, that `view` reads and `edit` writes (no secrets here). */
const WORKLOADS: Record<string, string[]> = {
  '': ['configmaps', 'endpoints', 'persistentvolumeclaims', 'pods', 'replicationcontrollers', 'replicationcontrollers/scale', 'serviceaccounts', 'services'],
  apps: ['daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'replicasets', 'replicasets/scale', 'statefulsets', 'statefulsets/scale'],
  autoscaling: ['horizontalpodautoscalers'],
  batch: ['cronjobs', 'jobs'],
  policy: ['poddisruptionbudgets'],
  'networking.k8s.io': ['ingresses', 'networkpolicies'],
  'discovery.k8s.io': ['endpointslices'],
};

/** Read-only extras `view` sees: status subresources, logs, events, quotas and the namespaces themselves. */
const VIEW_ONLY: Record<string, string[]> = {
  '': [
    'bindings', 'events', 'limitranges', 'namespaces', 'namespaces/status', 'persistentvolumeclaims/status', 'pods/log',
    'pods/status', 'replicationcontrollers/status', 'resourcequotas', 'resourcequotas/status', 'services/status',
  ],
  apps: ['controllerrevisions', 'daemonsets/status', 'deployments/status', 'replicasets/status', 'statefulsets/status'],
  autoscaling: ['horizontalpodautoscalers/status'],
  batch: ['cronjobs/status', 'jobs/status'],
  policy: ['poddisruptionbudgets/status'],
  'networking.k8s.io': ['ingresses/status'],
  'metrics.k8s.io': ['pods', 'nodes'],
};

const DISCOVERY_URLS = ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'];
const PUBLIC_INFO_URLS = ['/healthz', '/livez', '/readyz', '/version', '/version/'];
/** What monitoring agents scrape (upstream's `system:monitoring`, bound to the group of that name). */
const MONITORING_URLS = ['/metrics', '/metrics/slis', '/livez', '/readyz', '/healthz', '/livez/*', '/readyz/*', '/healthz/*'];
const MONITORING_GROUP = 'system:monitoring';

function rulesFor(resourcesByGroup: Record<string, string[]>, verbs: string[]): PolicyRule[] {
  return Object.entries(resourcesByGroup).map(([group, resources]) => ({ apiGroups: [group], resources, verbs }));
}

function viewRules(): PolicyRule[] {
  return [...rulesFor(WORKLOADS, READ), ...rulesFor(VIEW_ONLY, READ)];
}

/** What `edit` adds to `view`: writing workloads and secrets, and reaching into pods. */
function editOnlyRules(): PolicyRule[] {
  return [
    ...rulesFor(WORKLOADS, WRITE),
    { apiGroups: [''], resources: ['secrets'], verbs: [...READ, ...WRITE] },
    { apiGroups: [''], resources: ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'services/proxy'], verbs: ['get', 'create'] },
    { apiGroups: [''], resources: ['pods/eviction', 'serviceaccounts/token'], verbs: ['create'] },
    { apiGroups: [''], resources: ['serviceaccounts'], verbs: ['impersonate'] },
  ];
}

/** What `admin` adds to `edit`: managing access inside the namespace (Roles, RoleBindings, access reviews). */
function adminOnlyRules(): PolicyRule[] {
  return [
    { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles', 'rolebindings'], verbs: [...READ, ...WRITE] },
    { apiGroups: ['authorization.k8s.io'], resources: ['localsubjectaccessreviews'], verbs: ['create'] },
  ];
}

const AGGREGATE_LABEL = (role: string) => `rbac.authorization.k8s.io/aggregate-to-${role}`;

/**
 * admin/edit/view the upstream way: each aggregates the ClusterRoles labelled `aggregate-to-<role>` (so a
 * CRD's role can extend them), `view` feeds `edit` and `edit` feeds `admin`, and their stored rules start
 * out already aggregated. The `system:aggregate-to-*` roles hold the pieces.
 */
function userFacingRoles(): (ClusterRole & KubeObject)[] {
  const aggregating = (name: string, rules: PolicyRule[], feeds?: string): ClusterRole & KubeObject => {
    const role = clusterRole(name, rules, feeds ? { [AGGREGATE_LABEL(feeds)]: 'true' } : {});
    role.aggregationRule = { clusterRoleSelectors: [{ matchLabels: { [AGGREGATE_LABEL(name)]: 'true' } }] };
    return role;
  };
  return [
    aggregating('admin', [...viewRules(), ...editOnlyRules(), ...adminOnlyRules()]),
    aggregating('edit', [...viewRules(), ...editOnlyRules()], 'admin'),
    aggregating('view', viewRules(), 'edit'),
    clusterRole('system:aggregate-to-admin', adminOnlyRules(), { [AGGREGATE_LABEL('admin')]: 'true' }),
    clusterRole('system:aggregate-to-edit', editOnlyRules(), { [AGGREGATE_LABEL('edit')]: 'true' }),
    clusterRole('system:aggregate-to-view', viewRules(), { [AGGREGATE_LABEL('view')]: 'true' }),
  ];
}

function clusterRole(name: string, rules: PolicyRule[], extraLabels: Record<string, string> = {}): ClusterRole & KubeObject {
  const metadata = bootstrapMetadata(name);
  Object.assign(metadata.labels, extraLabels);
  return { apiVersion: RBAC_API_VERSION, kind: 'ClusterRole', metadata, rules };
}

function bindToGroups(name: string, role: string, groups: string[]): ClusterRoleBinding & KubeObject {
  return {
    apiVersion: RBAC_API_VERSION,
    kind: 'ClusterRoleBinding',
    metadata: bootstrapMetadata(name),
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
    subjects: groups.map((group) => ({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: group })),
  };
}

/** Upstream marks defaults so reconciliation at start-up may update them and users can recognise them. */
function bootstrapMetadata(name: string): { name: string; labels: Record<string, string>; annotations: Record<string, string> } {
  return {
    name,
    labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' },
    annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' },
  };
}

/**
 * The default ClusterRoles and ClusterRoleBindings the API server creates on first start: cluster-admin
 * (bound to system:masters), the user-facing admin/edit/view (aggregated, as upstream), and the discovery, basic-user and
 * public-info roles every (or, for public info, any even unauthenticated) client needs, and system:monitoring
 * (scraping /metrics and health), bound to the group of that name.
 */
export function bootstrapRbacObjects(): KubeObject[] {
  return [
    clusterRole('cluster-admin', [
      { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
      { nonResourceURLs: ['*'], verbs: ['*'] },
    ]),
    ...userFacingRoles(),
    clusterRole('system:discovery', [{ nonResourceURLs: DISCOVERY_URLS, verbs: ['get'] }]),
    clusterRole('system:public-info-viewer', [{ nonResourceURLs: PUBLIC_INFO_URLS, verbs: ['get'] }]),
    clusterRole('system:monitoring', [{ nonResourceURLs: MONITORING_URLS, verbs: ['get'] }]),
    clusterRole('system:basic-user', [
      { apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'], verbs: ['create'] },
      { apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'], verbs: ['create'] },
    ]),
    bindToGroups('cluster-admin', 'cluster-admin', [SYSTEM_MASTERS]),
    bindToGroups('system:discovery', 'system:discovery', [ALL_AUTHENTICATED]),
    bindToGroups('system:basic-user', 'system:basic-user', [ALL_AUTHENTICATED]),
    bindToGroups('system:monitoring', 'system:monitoring', [MONITORING_GROUP]),
    bindToGroups('system:public-info-viewer', 'system:public-info-viewer', [ALL_AUTHENTICATED, ALL_UNAUTHENTICATED]),
  ];
}

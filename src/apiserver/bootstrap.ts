import type { KubeObject } from '../api/types.ts';
import { bootstrapRbacObjects } from './auth/bootstrap-policy.ts';
import { SYSTEM_PRIORITY_CLASSES } from './admission/priority.ts';
import { firstServiceIp } from './lifecycle/service-allocator.ts';

/** Objects every cluster starts with: system namespaces, the `kubernetes` Service and default RBAC. */
export function bootstrapObjects(cfg: { serviceCidr: string; apiPort: number; apiAddress: string }): KubeObject[] {
  const namespaces = ['default', 'kube-system', 'kube-public', 'kube-node-lease'].map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'kubernetes.io/metadata.name': name } } }));
  const serviceAccounts = ['default', 'kube-system', 'kube-public', 'kube-node-lease'].map((namespace) => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace } }));
  const kubernetesService = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: { clusterIP: firstServiceIp(cfg.serviceCidr), ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: cfg.apiPort }], sessionAffinity: 'None', type: 'ClusterIP' },
  };
  // The default class, backed by the embedded local provisioner (src/controllers/volume-binder).
  const standardClass = {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: 'standard', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
    provisioner: 'minato.io/local-directory',
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'WaitForFirstConsumer',
  };
  return [...namespaces, ...serviceAccounts, kubernetesService, ...kubernetesEndpoints(cfg), standardClass, ...SYSTEM_PRIORITY_CLASSES, ...bootstrapRbacObjects()];
}

/**
 * The `kubernetes` Service's Endpoints and EndpointSlice: the address pods reach the API server on.
 * The Service has no selector, so no controller writes them; the API server rewrites them on every
 * start because its port (and advertised address) may change between starts.
 */
export function kubernetesEndpoints(cfg: { apiPort: number; apiAddress: string }): KubeObject[] {
  const endpoints = {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
    subsets: [{ addresses: [{ ip: cfg.apiAddress }], ports: [{ name: 'https', port: cfg.apiPort, protocol: 'TCP' }] }],
  };
  const slice = {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: [cfg.apiAddress], conditions: { ready: true } }],
    ports: [{ name: 'https', port: cfg.apiPort, protocol: 'TCP' }],
  };
  return [endpoints, slice];
}

import type { ResourceDefinition } from '../../api/resource-definition.ts';

export const METRICS_GROUP = 'metrics.k8s.io';
export const METRICS_VERSION = 'v1beta1';

/**
 * `metrics.k8s.io/v1beta1` as the server lists it in discovery: read-only and never stored
 * (virtual), answered from the node agents' stats by the metrics API.
 */
export const METRICS_RESOURCES: ResourceDefinition[] = [
  { group: METRICS_GROUP, version: METRICS_VERSION, kind: 'NodeMetrics', listKind: 'NodeMetricsList', plural: 'nodes', singular: '', namespaced: false, verbs: ['get', 'list'], virtual: true },
  { group: METRICS_GROUP, version: METRICS_VERSION, kind: 'PodMetrics', listKind: 'PodMetricsList', plural: 'pods', singular: '', namespaced: true, verbs: ['get', 'list'], virtual: true },
];

import type { TablePrinter } from '../resource-definition.ts';
import { cronJobPrinter, jobPrinter } from './batch-printers.ts';
import { CREATION_TIMESTAMP_DESCRIPTION, column, nameColumn } from './columns.ts';
import { configMapPrinter, leasePrinter, namespacePrinter, resourceQuotaPrinter, secretPrinter, serviceAccountPrinter } from './config-printers.ts';
import { eventPrinter } from './event-printer.ts';
import { nodePrinter } from './node-printer.ts';
import { podPrinter } from './pod-printer.ts';
import { horizontalPodAutoscalerPrinter, podDisruptionBudgetPrinter, priorityClassPrinter } from './policy-printers.ts';
import { clusterRoleBindingPrinter, roleBindingPrinter } from './rbac-printers.ts';
import { endpointSlicePrinter, endpointsPrinter, ingressClassPrinter, ingressPrinter, networkPolicyPrinter, servicePrinter } from './service-printers.ts';
import { persistentVolumeClaimPrinter, persistentVolumePrinter, storageClassPrinter } from './storage-printers.ts';
import {
  controllerRevisionPrinter,
  daemonSetPrinter,
  deploymentPrinter,
  podTemplatePrinter,
  replicaSetPrinter,
  replicationControllerPrinter,
  statefulSetPrinter,
} from './workload-printers.ts';

export { customResourcePrinter, type PrinterColumn } from './crd-printer.ts';

/** Go's `time.RFC3339` layout in UTC: whole seconds, `Z`. A missing time prints as Go's zero time. */
function rfc3339(timestamp: string | undefined): string {
  const ms = timestamp === undefined ? Number.NaN : Date.parse(timestamp);
  if (Number.isNaN(ms)) return '0001-01-01T00:00:00Z';
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * What apiserver serves for kinds without a printer (Roles, LimitRanges, CRDs…): NAME and a
 * `Created At` date, which kubectl renders as AGE.
 */
export const defaultPrinter: TablePrinter = {
  columns: [nameColumn(), column('Created At', CREATION_TIMESTAMP_DESCRIPTION, { type: 'date' })],
  cells: (obj) => [obj.metadata?.name ?? '', rfc3339(obj.metadata?.creationTimestamp)],
};

/** Built-in printers by `group/Kind`; every served version of a kind shares one printer, as upstream prints internal types. */
const PRINTERS: ReadonlyMap<string, TablePrinter> = new Map([
  ['/Pod', podPrinter],
  ['/PodTemplate', podTemplatePrinter],
  ['/ReplicationController', replicationControllerPrinter],
  ['/Service', servicePrinter],
  ['/Endpoints', endpointsPrinter],
  ['/Node', nodePrinter],
  ['/Event', eventPrinter],
  ['/Namespace', namespacePrinter],
  ['/Secret', secretPrinter],
  ['/ServiceAccount', serviceAccountPrinter],
  ['/ConfigMap', configMapPrinter],
  ['/ResourceQuota', resourceQuotaPrinter],
  ['/PersistentVolume', persistentVolumePrinter],
  ['/PersistentVolumeClaim', persistentVolumeClaimPrinter],
  ['apps/Deployment', deploymentPrinter],
  ['apps/ReplicaSet', replicaSetPrinter],
  ['apps/StatefulSet', statefulSetPrinter],
  ['apps/DaemonSet', daemonSetPrinter],
  ['apps/ControllerRevision', controllerRevisionPrinter],
  ['batch/Job', jobPrinter],
  ['batch/CronJob', cronJobPrinter],
  ['events.k8s.io/Event', eventPrinter],
  ['autoscaling/HorizontalPodAutoscaler', horizontalPodAutoscalerPrinter],
  ['policy/PodDisruptionBudget', podDisruptionBudgetPrinter],
  ['scheduling.k8s.io/PriorityClass', priorityClassPrinter],
  ['networking.k8s.io/Ingress', ingressPrinter],
  ['networking.k8s.io/IngressClass', ingressClassPrinter],
  ['networking.k8s.io/NetworkPolicy', networkPolicyPrinter],
  ['discovery.k8s.io/EndpointSlice', endpointSlicePrinter],
  ['rbac.authorization.k8s.io/RoleBinding', roleBindingPrinter],
  ['rbac.authorization.k8s.io/ClusterRoleBinding', clusterRoleBindingPrinter],
  ['storage.k8s.io/StorageClass', storageClassPrinter],
  ['coordination.k8s.io/Lease', leasePrinter],
]);

/** The server-side printer for a built-in kind (`''` is the core group), or {@link defaultPrinter}. */
export function printerFor(group: string, kind: string): TablePrinter {
  return PRINTERS.get(`${group}/${kind}`) ?? defaultPrinter;
}

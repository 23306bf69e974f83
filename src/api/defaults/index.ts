import type { Defaulter } from '../resource-definition.ts';
import { defaultCustomResourceDefinition } from './apiextensions-defaults.ts';
import { defaultDaemonSet, defaultDeployment, defaultReplicaSet, defaultStatefulSet } from './apps-defaults.ts';
import { defaultHorizontalPodAutoscaler } from './autoscaling-defaults.ts';
import { defaultCronJob, defaultJob } from './batch-defaults.ts';
import {
  defaultEndpoints, defaultLimitRange, defaultNamespace, defaultNode, defaultPersistentVolume, defaultPersistentVolumeClaim,
  defaultPodTemplate, defaultReplicationController, defaultSecret, defaultService,
} from './core-defaults.ts';
import { defaultEndpointSlice } from './discovery-defaults.ts';
import { defaultNetworkPolicy } from './networking-defaults.ts';
import { defaultPod } from './pod-defaults.ts';
import { defaultBinding } from './rbac-defaults.ts';
import { defaultStorageClass } from './storage-defaults.ts';

export { defaultJobSelector, JOB_CONTROLLER_UID_LABEL, JOB_NAME_LABEL } from './batch-defaults.ts';
export { defaultPodSpec, defaultPodTemplateSpec, defaultPullPolicy, podQosClass } from './pod-defaults.ts';

/** `group/Kind` → upstream v1 defaulter. Kinds upstream does not default are absent. */
const DEFAULTERS: Record<string, Defaulter> = {
  '/Pod': defaultPod,
  '/PodTemplate': defaultPodTemplate,
  '/ReplicationController': defaultReplicationController,
  '/Service': defaultService,
  '/Namespace': defaultNamespace,
  '/Secret': defaultSecret,
  '/PersistentVolume': defaultPersistentVolume,
  '/PersistentVolumeClaim': defaultPersistentVolumeClaim,
  '/Endpoints': defaultEndpoints,
  '/LimitRange': defaultLimitRange,
  '/Node': defaultNode,
  'apps/Deployment': defaultDeployment,
  'apps/ReplicaSet': defaultReplicaSet,
  'apps/StatefulSet': defaultStatefulSet,
  'apps/DaemonSet': defaultDaemonSet,
  'batch/Job': defaultJob,
  'batch/CronJob': defaultCronJob,
  'autoscaling/HorizontalPodAutoscaler': defaultHorizontalPodAutoscaler,
  'networking.k8s.io/NetworkPolicy': defaultNetworkPolicy,
  'rbac.authorization.k8s.io/RoleBinding': defaultBinding,
  'rbac.authorization.k8s.io/ClusterRoleBinding': defaultBinding,
  'storage.k8s.io/StorageClass': defaultStorageClass,
  'discovery.k8s.io/EndpointSlice': defaultEndpointSlice,
  'apiextensions.k8s.io/CustomResourceDefinition': defaultCustomResourceDefinition,
};

/**
 * The defaulter for a built-in kind, or undefined when upstream defines none. Defaulters fill fields
 * in place and are idempotent, so the server may run them on every create and update (and on reads
 * of objects stored before a default existed). Jobs also need {@link defaultJobSelector} at create.
 */
export function defaulterFor(group: string, kind: string): Defaulter | undefined {
  return DEFAULTERS[`${group}/${kind}`];
}

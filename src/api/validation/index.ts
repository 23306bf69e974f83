import { BUILTIN_RESOURCES } from '../builtin-resources.ts';
import type { Validator } from '../resource-definition.ts';
import type { KubeObject } from '../types.ts';
import { validateCustomResourceDefinition } from './apiextensions-validation.ts';
import { validateControllerRevision, validateDaemonSet, validateDeployment, validateReplicaSet, validateStatefulSet } from './apps-validation.ts';
import { validateHorizontalPodAutoscaler } from './autoscaling-validation.ts';
import { validateCronJob, validateJob } from './batch-validation.ts';
import { validateConfigMap, validateSecret } from './config-validation.ts';
import { validateLease } from './coordination-validation.ts';
import {
  validateCoreEvent, validateEndpoints, validateEventsEvent, validateLimitRange, validateNamespace, validateNode,
  validatePodTemplate, validateReplicationController, validateResourceQuota,
} from './core-misc-validation.ts';
import { validateEndpointSlice } from './discovery-validation.ts';
import { dns1035Label, dns1123Label, pathSegmentName } from './name-rules.ts';
import { validateIngress, validateIngressClass, validateNetworkPolicy } from './networking-validation.ts';
import { type NameRule, validateObjectMeta, validateObjectMetaUpdate } from './object-meta.ts';
import { validatePersistentVolume, validatePersistentVolumeClaim } from './persistent-volume-validation.ts';
import { validatePod } from './pod-validation.ts';
import { validatePodDisruptionBudget } from './policy-validation.ts';
import { validateClusterRole, validateClusterRoleBinding, validateRole, validateRoleBinding } from './rbac-validation.ts';
import { validateService } from './service-validation.ts';
import { validateStorageClass } from './storage-validation.ts';
import type { KindValidator, ValidationOptions } from './validation-options.ts';

export type { KindValidator, PortRange, ValidationOptions } from './validation-options.ts';
export { DEFAULT_NODE_PORT_RANGE } from './validation-options.ts';

interface KindRules {
  /** Kind-specific checks; absent when only object-meta rules apply. */
  validate?: KindValidator;
  /** Rule for metadata.name; default DNS-1123 subdomain. */
  nameRule?: NameRule;
}

/** `group/Kind` → rules. Name rules follow upstream's per-kind choices. */
const KIND_RULES: Record<string, KindRules> = {
  '/Pod': { validate: validatePod },
  '/PodTemplate': { validate: validatePodTemplate },
  '/ReplicationController': { validate: validateReplicationController },
  '/Service': { validate: validateService, nameRule: dns1035Label },
  '/ConfigMap': { validate: validateConfigMap },
  '/Secret': { validate: validateSecret },
  '/Namespace': { validate: validateNamespace, nameRule: dns1123Label },
  '/Node': { validate: validateNode },
  '/PersistentVolume': { validate: validatePersistentVolume },
  '/PersistentVolumeClaim': { validate: validatePersistentVolumeClaim },
  '/ResourceQuota': { validate: validateResourceQuota },
  '/LimitRange': { validate: validateLimitRange },
  '/ServiceAccount': {},
  '/Endpoints': { validate: validateEndpoints },
  '/Event': { validate: validateCoreEvent },
  'events.k8s.io/Event': { validate: validateEventsEvent },
  'apps/Deployment': { validate: validateDeployment },
  'apps/ReplicaSet': { validate: validateReplicaSet },
  'apps/StatefulSet': { validate: validateStatefulSet },
  'apps/DaemonSet': { validate: validateDaemonSet },
  'apps/ControllerRevision': { validate: validateControllerRevision },
  'batch/Job': { validate: validateJob },
  'batch/CronJob': { validate: validateCronJob },
  'autoscaling/HorizontalPodAutoscaler': { validate: validateHorizontalPodAutoscaler, nameRule: pathSegmentName },
  'networking.k8s.io/NetworkPolicy': { validate: validateNetworkPolicy },
  'networking.k8s.io/Ingress': { validate: validateIngress },
  'networking.k8s.io/IngressClass': { validate: validateIngressClass },
  'policy/PodDisruptionBudget': { validate: validatePodDisruptionBudget },
  'rbac.authorization.k8s.io/Role': { validate: validateRole, nameRule: pathSegmentName },
  'rbac.authorization.k8s.io/ClusterRole': { validate: validateClusterRole, nameRule: pathSegmentName },
  'rbac.authorization.k8s.io/RoleBinding': { validate: validateRoleBinding, nameRule: pathSegmentName },
  'rbac.authorization.k8s.io/ClusterRoleBinding': { validate: validateClusterRoleBinding, nameRule: pathSegmentName },
  'storage.k8s.io/StorageClass': { validate: validateStorageClass },
  'apiextensions.k8s.io/CustomResourceDefinition': { validate: validateCustomResourceDefinition },
  'coordination.k8s.io/Lease': { validate: validateLease },
  'discovery.k8s.io/EndpointSlice': { validate: validateEndpointSlice },
};

function isNamespaced(group: string, kind: string): boolean | undefined {
  return BUILTIN_RESOURCES.find((r) => r.group === group && r.kind === kind)?.namespaced;
}

/**
 * The validator for a built-in kind, or undefined for kinds Minato does not validate (virtual reviews,
 * custom resources). The returned function checks `metadata` (name rule for the kind, namespace
 * presence, labels, annotations, owner references, finalizers; immutable name/namespace/uid/
 * creationTimestamp on update) and then the kind's own rules. Call it after the defaulter, with `old`
 * on update. Before validating an update the server should carry over system fields the client may
 * omit (uid, creationTimestamp, a Service's allocated clusterIP).
 *
 * @param options `namespaced` defaults to the `BUILTIN_RESOURCES` entry; `serviceNodePortRange` to 30000–32767.
 */
export function validatorFor(group: string, kind: string, options: ValidationOptions = {}): Validator | undefined {
  const rules = KIND_RULES[`${group}/${kind}`];
  if (!rules) return undefined;
  const namespaced = options.namespaced ?? isNamespaced(group, kind) ?? true;
  const metaOptions = { namespaced, nameRule: rules.nameRule };
  const resolved: ValidationOptions = { ...options, namespaced };
  return (obj: KubeObject, old?: KubeObject) => [
    ...(old ? validateObjectMetaUpdate(obj.metadata, old.metadata, metaOptions) : validateObjectMeta(obj.metadata, metaOptions)),
    ...(rules.validate?.(obj, old, resolved) ?? []),
  ];
}

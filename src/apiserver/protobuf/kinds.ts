/** Which message describes each apiVersion/kind Minato accepts as a protobuf body. */
import type { MessageDef } from './schema.ts';
import {
  certificateSigningRequest, horizontalPodAutoscalerV1, horizontalPodAutoscalerV2,
} from './messages/autoscaling-certificates.ts';
import { pod } from './messages/core-pod.ts';
import { configMap, namespace, resourceQuota, secret, service, serviceAccount } from './messages/core.ts';
import { ingress } from './messages/networking.ts';
import { eviction, podDisruptionBudget, priorityClass } from './messages/policy-scheduling.ts';
import { clusterRole, clusterRoleBinding, role, roleBinding } from './messages/rbac.ts';
import { selfSubjectAccessReview, selfSubjectReview, selfSubjectRulesReview, tokenRequest } from './messages/reviews.ts';
import { cronJob, deployment, job } from './messages/workloads.ts';

const kindsByApiVersion: Readonly<Record<string, Readonly<Record<string, MessageDef>>>> = {
  v1: { Namespace: namespace, ConfigMap: configMap, Secret: secret, Service: service,
    ServiceAccount: serviceAccount, ResourceQuota: resourceQuota, Pod: pod },
  'apps/v1': { Deployment: deployment },
  'batch/v1': { Job: job, CronJob: cronJob },
  'rbac.authorization.k8s.io/v1': {
    Role: role, ClusterRole: clusterRole, RoleBinding: roleBinding, ClusterRoleBinding: clusterRoleBinding,
  },
  'policy/v1': { PodDisruptionBudget: podDisruptionBudget, Eviction: eviction },
  'scheduling.k8s.io/v1': { PriorityClass: priorityClass },
  'networking.k8s.io/v1': { Ingress: ingress },
  'authentication.k8s.io/v1': { TokenRequest: tokenRequest, SelfSubjectReview: selfSubjectReview },
  'authorization.k8s.io/v1': {
    SelfSubjectAccessReview: selfSubjectAccessReview, SelfSubjectRulesReview: selfSubjectRulesReview,
  },
  'autoscaling/v1': { HorizontalPodAutoscaler: horizontalPodAutoscalerV1 },
  'autoscaling/v2': { HorizontalPodAutoscaler: horizontalPodAutoscalerV2 },
  'certificates.k8s.io/v1': { CertificateSigningRequest: certificateSigningRequest },
};

/** The message for `apiVersion`/`kind`, or undefined when Minato cannot decode that kind from protobuf. */
export function messageForKind(apiVersion: string, kind: string): MessageDef | undefined {
  const kinds = Object.hasOwn(kindsByApiVersion, apiVersion) ? kindsByApiVersion[apiVersion] : undefined;
  return kinds && Object.hasOwn(kinds, kind) ? kinds[kind] : undefined;
}

/** Every `apiVersion/kind` pair that decodes, for error messages and tests. */
export function supportedKinds(): string[] {
  return Object.entries(kindsByApiVersion).flatMap(([gv, kinds]) => Object.keys(kinds).map((k) => `${gv}/${k}`));
}

import type { DaemonSet, Deployment, ReplicaSet, StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { PersistentVolumeClaimStatus } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../types.ts';
import { defaultClaimSpec } from './core-defaults.ts';
import { defaultPodTemplateSpec } from './pod-defaults.ts';

/** Deployment: 1 replica, RollingUpdate 25%/25%, 10 revisions, 600 s progress deadline. */
export function defaultDeployment(obj: KubeObject): void {
  const spec = ((obj as Deployment).spec ??= {} as NonNullable<Deployment['spec']>);
  spec.replicas ??= 1;
  const strategy = (spec.strategy ??= {});
  strategy.type ??= 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const rolling = (strategy.rollingUpdate ??= {});
    rolling.maxUnavailable ??= '25%';
    rolling.maxSurge ??= '25%';
  }
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  defaultPodTemplateSpec(spec.template);
}

/** ReplicaSet: 1 replica. */
export function defaultReplicaSet(obj: KubeObject): void {
  const spec = ((obj as ReplicaSet).spec ??= {} as NonNullable<ReplicaSet['spec']>);
  spec.replicas ??= 1;
  defaultPodTemplateSpec(spec.template);
}

/**
 * StatefulSet: 1 replica, OrderedReady, RollingUpdate with partition 0, 10 revisions, Retain/Retain
 * claim retention; claim templates get volumeMode Filesystem and phase Pending.
 */
export function defaultStatefulSet(obj: KubeObject): void {
  const spec = ((obj as StatefulSet).spec ??= {} as NonNullable<StatefulSet['spec']>);
  spec.replicas ??= 1;
  spec.podManagementPolicy ??= 'OrderedReady';
  const strategy = (spec.updateStrategy ??= {});
  strategy.type ??= 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') (strategy.rollingUpdate ??= {}).partition ??= 0;
  spec.revisionHistoryLimit ??= 10;
  const retention = (spec.persistentVolumeClaimRetentionPolicy ??= {});
  retention.whenDeleted ??= 'Retain';
  retention.whenScaled ??= 'Retain';
  for (const claim of spec.volumeClaimTemplates ?? []) {
    defaultClaimSpec((claim.spec ??= {}));
    const holder = claim as { status?: PersistentVolumeClaimStatus };
    (holder.status ??= {}).phase ??= 'Pending';
  }
  defaultPodTemplateSpec(spec.template);
}

/** DaemonSet: RollingUpdate with maxUnavailable 1 and maxSurge 0, 10 revisions. */
export function defaultDaemonSet(obj: KubeObject): void {
  const spec = ((obj as DaemonSet).spec ??= {} as NonNullable<DaemonSet['spec']>);
  const strategy = (spec.updateStrategy ??= {});
  strategy.type ??= 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const rolling = (strategy.rollingUpdate ??= {});
    rolling.maxUnavailable ??= 1;
    rolling.maxSurge ??= 0;
  }
  spec.revisionHistoryLimit ??= 10;
  defaultPodTemplateSpec(spec.template);
}

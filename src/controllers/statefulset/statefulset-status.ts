import type { StatefulSet, StatefulSetStatus } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { isPodAvailable, isPodReady } from '../workload-common/pod-status.ts';
import { revisionOfPod } from './stateful-identity.ts';

/**
 * Counts over the set's live pods; once a RollingUpdate has every pod updated and ready, the
 * update revision becomes the current one (upstream's completeRollingUpdate).
 */
export function calculateStatus(set: StatefulSet, pods: Pod[], current: string, update: string, collisionCount: number, now: Date): StatefulSetStatus {
  const live = pods.filter((p) => !p.metadata?.deletionTimestamp);
  const ready = live.filter((p) => p.status?.phase === 'Running' && isPodReady(p));
  const status: StatefulSetStatus = {
    observedGeneration: set.metadata?.generation,
    replicas: live.length,
    readyReplicas: ready.length,
    availableReplicas: ready.filter((p) => isPodAvailable(p, set.spec?.minReadySeconds ?? 0, now)).length,
    currentReplicas: live.filter((p) => revisionOfPod(p) === current).length,
    updatedReplicas: live.filter((p) => revisionOfPod(p) === update).length,
    currentRevision: current,
    updateRevision: update,
    collisionCount,
  };
  const want = set.spec?.replicas ?? 1;
  const allUpdated = status.updatedReplicas === status.replicas && status.readyReplicas === status.replicas && status.replicas === want;
  if (allUpdated && (set.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate') {
    status.currentRevision = update;
    status.currentReplicas = status.updatedReplicas;
  }
  return status;
}

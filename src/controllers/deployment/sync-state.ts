import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { KubeClient } from '../../client/kube-client.ts';
import { R } from '../../client/resource-ref.ts';
import type { EventRecorder } from '../../controller/event-recorder.ts';
import { setReplicasAnnotations } from './annotations.ts';
import { desiredReplicas, maxSurge } from './deployment-math.ts';

/** Event reasons the deployment controller records. */
export const REASON = { scaling: 'ScalingReplicaSet', failedCreate: 'FailedCreate', collision: 'HashCollision' } as const;

/**
 * One sync's working state: the Deployment and its ReplicaSets as last written or read (private
 * copies, never cached objects), updated in place after every write so later steps see them.
 */
export interface SyncState {
  client: KubeClient;
  recorder: EventRecorder;
  now: Date;
  d: Deployment;
  rss: ReplicaSet[];
}

export function replaceRS(s: SyncState, rs: ReplicaSet): ReplicaSet {
  s.rss = [...s.rss.filter((x) => x.metadata?.uid !== rs.metadata?.uid), rs];
  return rs;
}

/**
 * Scales a ReplicaSet (and stamps desired/max replicas on it), recording ScalingReplicaSet as
 * upstream does. Writes carry the RS's resourceVersion: a stale view fails with a conflict.
 */
export async function scaleReplicaSet(s: SyncState, rs: ReplicaSet, replicas: number): Promise<ReplicaSet> {
  const next = structuredClone(rs);
  const sizeChanged = (rs.spec?.replicas ?? 0) !== replicas;
  const annotated = setReplicasAnnotations(next, desiredReplicas(s.d), desiredReplicas(s.d) + maxSurge(s.d));
  if (!sizeChanged && !annotated) return rs;
  (next.spec ??= { selector: {} }).replicas = replicas;
  const updated = await s.client.update<ReplicaSet>(R.replicasets, next);
  if (sizeChanged) {
    const dir = replicas > (rs.spec?.replicas ?? 0) ? 'up' : 'down';
    s.recorder.event(s.d, 'Normal', REASON.scaling, `Scaled ${dir} replica set ${rs.metadata?.name ?? ''} from ${rs.spec?.replicas ?? 0} to ${replicas}`);
  }
  return replaceRS(s, updated);
}

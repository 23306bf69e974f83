import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { isAlreadyExists } from '../../client/api-error.ts';
import { R } from '../../client/resource-ref.ts';
import { controllerOf, controllerRefTo } from '../workload-common/owner-refs.ts';
import { computeHash } from '../workload-common/template-hash.ts';
import { equalIgnoreHash, maxRevision, POD_TEMPLATE_HASH, REVISION, revisionOf, setNewReplicaSetAnnotations, setReplicasAnnotations } from './annotations.ts';
import { byCreation, desiredReplicas, maxSurge, newRSNewReplicas } from './deployment-math.ts';
import { COND, getCondition, setCondition } from './deployment-status.ts';
import { REASON, replaceRS, type SyncState } from './sync-state.ts';

/** The ReplicaSet whose template is the Deployment's (the oldest such), and all the others. */
export function splitReplicaSets(s: SyncState): { newRS?: ReplicaSet; old: ReplicaSet[] } {
  const sorted = byCreation(s.rss);
  const newRS = sorted.find((rs) => equalIgnoreHash(rs.spec?.template, s.d.spec?.template));
  return { newRS, old: sorted.filter((rs) => rs !== newRS) };
}

/**
 * Upstream's getAllReplicaSetsAndSyncRevision: finds the new ReplicaSet (creating it when asked),
 * gives it revision max(old)+1 — which is how a rollback moves an old ReplicaSet to the newest
 * revision — and mirrors that revision on the Deployment.
 */
export async function syncRevision(s: SyncState, createIfMissing: boolean): Promise<{ newRS?: ReplicaSet; old: ReplicaSet[] }> {
  const { newRS, old } = splitReplicaSets(s);
  const newRevision = maxRevision(old) + 1;
  let rs = newRS;
  if (rs) {
    rs = await refreshExisting(s, rs, newRevision);
    if (s.d.spec?.progressDeadlineSeconds !== undefined && !getCondition(s.d.status, 'Progressing')) {
      const status = structuredClone(s.d.status ?? {});
      setCondition(status, 'Progressing', 'True', COND.foundNewRS, `Found new replica set "${rs.metadata?.name ?? ''}"`, s.now);
      s.d.status = status;
    }
  } else if (createIfMissing) rs = await createNewReplicaSet(s, old, newRevision);
  if (rs) await mirrorRevision(s, rs);
  return { newRS: rs, old };
}

async function refreshExisting(s: SyncState, rs: ReplicaSet, newRevision: number): Promise<ReplicaSet> {
  const next = structuredClone(rs);
  const annotated = setNewReplicaSetAnnotations(s.d, next, newRevision);
  const minReady = (next.spec?.minReadySeconds ?? 0) !== (s.d.spec?.minReadySeconds ?? 0);
  if (!annotated && !minReady) return rs;
  if (next.spec) next.spec.minReadySeconds = s.d.spec?.minReadySeconds;
  return replaceRS(s, await s.client.update<ReplicaSet>(R.replicasets, next));
}

/** Copies the new ReplicaSet's revision onto the Deployment (kubectl reads it there too). */
async function mirrorRevision(s: SyncState, rs: ReplicaSet): Promise<void> {
  const rev = rs.metadata?.annotations?.[REVISION];
  if (rev === undefined || s.d.metadata?.annotations?.[REVISION] === rev) return;
  // Keep the status this sync has built so far; only metadata changes on the server.
  const status = s.d.status;
  s.d = await s.client.patch<Deployment>(R.deployments, s.d.metadata?.namespace, s.d.metadata?.name ?? '', 'merge', { metadata: { resourceVersion: s.d.metadata?.resourceVersion, annotations: { [REVISION]: rev } } });
  s.d.status = status;
}

function newReplicaSetObject(s: SyncState, old: ReplicaSet[], newRevision: number): ReplicaSet {
  const d = s.d;
  const hash = computeHash(d.spec?.template, d.status?.collisionCount);
  const template = structuredClone(d.spec?.template ?? {});
  (template.metadata ??= {}).labels = { ...(template.metadata.labels ?? {}), [POD_TEMPLATE_HASH]: hash };
  const selector = structuredClone(d.spec?.selector ?? {});
  selector.matchLabels = { ...(selector.matchLabels ?? {}), [POD_TEMPLATE_HASH]: hash };
  const rs: ReplicaSet = {
    metadata: { name: `${d.metadata?.name ?? ''}-${hash}`, namespace: d.metadata?.namespace, labels: template.metadata.labels, ownerReferences: [controllerRefTo(d, 'apps/v1', 'Deployment')] },
    spec: { replicas: 0, minReadySeconds: d.spec?.minReadySeconds, selector, template },
  };
  rs.spec = { ...rs.spec, selector, replicas: newRSNewReplicas(d, [...old, rs], rs) };
  setNewReplicaSetAnnotations(d, rs, newRevision);
  setReplicasAnnotations(rs, desiredReplicas(d), desiredReplicas(d) + maxSurge(d));
  return rs;
}

/**
 * Creates `<deployment>-<hash>`. A name already taken by a ReplicaSet with the same template and
 * owner is ours (the cache lagged); by anything else it is a hash collision: collisionCount is
 * bumped in status and the sync retried, so the next hash differs.
 */
async function createNewReplicaSet(s: SyncState, old: ReplicaSet[], newRevision: number): Promise<ReplicaSet> {
  const rs = newReplicaSetObject(s, old, newRevision);
  try {
    const created = replaceRS(s, await s.client.create<ReplicaSet>(R.replicasets, rs));
    if ((created.spec?.replicas ?? 0) > 0) s.recorder.event(s.d, 'Normal', REASON.scaling, `Scaled up replica set ${created.metadata?.name ?? ''} from 0 to ${created.spec?.replicas ?? 0}`);
    if (s.d.spec?.progressDeadlineSeconds !== undefined) {
      const status = structuredClone(s.d.status ?? {});
      setCondition(status, 'Progressing', 'True', COND.newRSCreated, `Created new replica set "${created.metadata?.name ?? ''}"`, s.now);
      s.d.status = status;
    }
    return created;
  } catch (err) {
    if (!isAlreadyExists(err)) {
      s.recorder.event(s.d, 'Warning', REASON.failedCreate, `Failed to create new replica set "${rs.metadata?.name ?? ''}": ${String(err)}`);
      throw err;
    }
    const existing = await s.client.get<ReplicaSet>(R.replicasets, rs.metadata?.namespace, rs.metadata?.name ?? '');
    if (controllerOf(existing)?.uid === s.d.metadata?.uid && equalIgnoreHash(existing.spec?.template, s.d.spec?.template)) return replaceRS(s, existing);
    const status = { ...structuredClone(s.d.status ?? {}), collisionCount: (s.d.status?.collisionCount ?? 0) + 1 };
    s.recorder.event(s.d, 'Warning', REASON.collision, `Found a hash collision for deployment "${s.d.metadata?.name ?? ''}" - bumping collisionCount to ${status.collisionCount}`);
    await s.client.updateStatus(R.deployments, { ...s.d, status });
    throw new Error(`hash collision on replica set ${rs.metadata?.name ?? ''}`, { cause: err });
  }
}

export { revisionOf };

import type { ControllerRevision } from 'kubernetes-types/apps/v1.js';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import type { ObjectLike } from '../../api/types.ts';
import { isAlreadyExists } from '../../client/api-error.ts';
import type { KubeClient } from '../../client/kube-client.ts';
import { R } from '../../client/resource-ref.ts';
import { canonicalJson, computeHash } from './template-hash.ts';

/** Label on pods (and revisions) naming the revision they were made from. */
export const CONTROLLER_REVISION_HASH = 'controller-revision-hash';

/**
 * What a StatefulSet/DaemonSet revision stores: a strategic merge patch that replaces the pod
 * template — exactly what `kubectl rollout undo` sends back to restore it.
 */
export function revisionData(template: PodTemplateSpec | undefined): Record<string, unknown> {
  return { spec: { template: { ...structuredClone(template ?? {}), $patch: 'replace' } } };
}

/** The pod template a revision stores. */
export function templateOfRevision(rev: ControllerRevision): PodTemplateSpec {
  const data = rev.data as { spec?: { template?: PodTemplateSpec & { $patch?: string } } } | undefined;
  const { $patch: _ignored, ...template } = structuredClone(data?.spec?.template ?? {});
  return template;
}

const sameData = (a: ControllerRevision, data: unknown) => canonicalJson(a.data) === canonicalJson(data);

export interface SyncRevisionsConfig {
  client: KubeClient;
  owner: ObjectLike;
  ownerRef: OwnerReference;
  /** The owner's revisions, oldest first. */
  revisions: ControllerRevision[];
  template: PodTemplateSpec | undefined;
  collisionCount: number;
}

/** The revision the current template maps to, and the collision count to record in status. */
export interface SyncedRevision {
  revision: ControllerRevision;
  collisionCount: number;
}

/** Sorts revisions oldest first (by `revision`, then name for ties). */
export function sortRevisions(revs: ControllerRevision[]): ControllerRevision[] {
  return [...revs].sort((a, b) => a.revision - b.revision || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
}

/**
 * Finds or creates the revision for the owner's current template (upstream's
 * getStatefulSetRevisions): the newest equal revision is reused; an older equal one (a rollback)
 * is moved to the next revision number; otherwise a new one is created named `<owner>-<hash>`.
 * A name taken by different data is a hash collision: the count is bumped and the create retried.
 */
export async function syncUpdateRevision(cfg: SyncRevisionsConfig): Promise<SyncedRevision> {
  const data = revisionData(cfg.template);
  const sorted = sortRevisions(cfg.revisions);
  const next = (sorted.at(-1)?.revision ?? 0) + 1;
  const equal = sorted.filter((r) => sameData(r, data));
  const newest = equal.at(-1);
  if (newest && newest === sorted.at(-1)) return { revision: newest, collisionCount: cfg.collisionCount };
  if (newest) {
    const bumped = await cfg.client.update<ControllerRevision>(R.controllerrevisions, { ...structuredClone(newest), revision: next });
    return { revision: bumped, collisionCount: cfg.collisionCount };
  }
  let collisionCount = cfg.collisionCount;
  for (;;) {
    const name = `${cfg.owner.metadata?.name ?? ''}-${computeHash(data, collisionCount)}`;
    const labels = { ...(cfg.template?.metadata?.labels ?? {}), [CONTROLLER_REVISION_HASH]: name.slice(name.lastIndexOf('-') + 1) };
    const rev: ControllerRevision = { metadata: { name, namespace: cfg.owner.metadata?.namespace, labels, ownerReferences: [cfg.ownerRef] }, data, revision: next };
    try {
      return { revision: await cfg.client.create<ControllerRevision>(R.controllerrevisions, rev), collisionCount };
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      const existing = await cfg.client.get<ControllerRevision>(R.controllerrevisions, cfg.owner.metadata?.namespace, name);
      if (sameData(existing, data) && existing.metadata?.ownerReferences?.some((o) => o.uid === cfg.ownerRef.uid)) return { revision: existing, collisionCount };
      collisionCount++;
    }
  }
}

/**
 * Deletes the oldest revisions beyond `limit` that nothing uses (no live pod, not current, not
 * the update revision).
 */
export async function truncateHistory(client: KubeClient, revisions: ControllerRevision[], live: Set<string>, limit: number): Promise<void> {
  const unused = sortRevisions(revisions).filter((r) => !live.has(r.metadata?.name ?? ''));
  const excess = unused.length - limit;
  for (const r of unused.slice(0, Math.max(0, excess))) {
    await client.delete(R.controllerrevisions, r.metadata?.namespace, r.metadata?.name ?? '').catch(() => undefined);
  }
}

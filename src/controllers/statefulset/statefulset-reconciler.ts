import type { ControllerRevision, StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import { labelSelectorFromObject } from '../../api/selectors/label-selector.ts';
import { isAlreadyExists, isNotFound } from '../../client/api-error.ts';
import type { Clock } from '../../client/clock.ts';
import type { Lister } from '../../client/informer.ts';
import type { KubeClient } from '../../client/kube-client.ts';
import { R } from '../../client/resource-ref.ts';
import type { EventRecorder } from '../../controller/event-recorder.ts';
import type { Reconciler, Request, Result } from '../../controller/reconciler.ts';
import { syncUpdateRevision, templateOfRevision, truncateHistory } from '../workload-common/controller-revisions.ts';
import { claimObjects, controllerOf, controllerRefTo } from '../workload-common/owner-refs.ts';
import { isPodAvailable, isPodReady, nextAvailableInMs } from '../workload-common/pod-status.ts';
import { canonicalJson } from '../workload-common/template-hash.ts';
import { claimsFor, newStatefulPod, ordinalOf, revisionOfPod } from './stateful-identity.ts';
import { calculateStatus } from './statefulset-status.ts';

/** Event reasons, as upstream's stateful pod control records them. */
export const REASON = { create: 'SuccessfulCreate', delete: 'SuccessfulDelete', failedCreate: 'FailedCreate' } as const;

export interface StatefulSetReconcilerConfig {
  client: KubeClient;
  sets: Lister<StatefulSet>;
  pods: Lister<Pod>;
  revisions: Lister<ControllerRevision>;
  claims: Lister<PersistentVolumeClaim>;
  clock: Clock;
  recorder: EventRecorder;
}

/** The revisions and pods one sync works with. */
interface SetView {
  set: StatefulSet;
  byOrdinal: Map<number, Pod>;
  condemned: Pod[];
  current: ControllerRevision;
  update: ControllerRevision;
}

/**
 * Upstream's StatefulSet control, level-based: at most one step per ordinal per sync, and under
 * OrderedReady nothing past the first pod that is missing, terminating or not ready.
 */
export class StatefulSetReconciler implements Reconciler {
  constructor(private readonly cfg: StatefulSetReconcilerConfig) {}

  async reconcile(req: Request): Promise<Result | void> {
    const cached = this.cfg.sets.get(`${req.namespace ?? ''}/${req.name}`);
    if (!cached) return;
    const set = structuredClone(cached);
    const pods = await this.claimPods(set);
    const revisions = this.cfg.revisions.byNamespace(set.metadata?.namespace ?? '').filter((r) => controllerOf(r)?.uid === set.metadata?.uid);
    const ownerRef = controllerRefTo(set, 'apps/v1', 'StatefulSet');
    const synced = await syncUpdateRevision({ client: this.cfg.client, owner: set, ownerRef, revisions, template: set.spec?.template, collisionCount: set.status?.collisionCount ?? 0 });
    const update = synced.revision;
    const current = revisions.find((r) => r.metadata?.name === set.status?.currentRevision) ?? update;
    const view = this.viewOf(set, pods, current, update);
    if (!set.metadata?.deletionTimestamp) await this.step(view);
    const now = this.cfg.clock.now();
    const status = calculateStatus(set, pods, current.metadata?.name ?? '', update.metadata?.name ?? '', synced.collisionCount, now);
    await this.writeStatus(set, status);
    const live = new Set([current.metadata?.name ?? '', update.metadata?.name ?? '', ...pods.map((p) => revisionOfPod(p) ?? '')]);
    await truncateHistory(this.cfg.client, [...revisions.filter((r) => r.metadata?.uid !== update.metadata?.uid), update], live, set.spec?.revisionHistoryLimit ?? 10);
    const wait = nextAvailableInMs(pods, set.spec?.minReadySeconds ?? 0, now);
    return wait === undefined ? undefined : { requeueAfterMs: wait };
  }

  private claimPods(set: StatefulSet): Promise<Pod[]> {
    const candidates = this.cfg.pods.byNamespace(set.metadata?.namespace ?? '').filter((p) => ordinalOf(set, p) !== undefined);
    return claimObjects({ client: this.cfg.client, resource: R.pods, owner: set, ownerRef: controllerRefTo(set, 'apps/v1', 'StatefulSet'), selector: labelSelectorFromObject(set.spec?.selector), candidates });
  }

  private viewOf(set: StatefulSet, pods: Pod[], current: ControllerRevision, update: ControllerRevision): SetView {
    const start = set.spec?.ordinals?.start ?? 0;
    const end = start + (set.spec?.replicas ?? 1);
    const byOrdinal = new Map<number, Pod>();
    const condemned: Pod[] = [];
    for (const p of pods) {
      const ord = ordinalOf(set, p) ?? -1;
      if (ord >= start && ord < end) byOrdinal.set(ord, p);
      else condemned.push(p);
    }
    condemned.sort((a, b) => (ordinalOf(set, b) ?? 0) - (ordinalOf(set, a) ?? 0));
    return { set, byOrdinal, condemned, current, update };
  }

  private healthy(view: SetView, pod: Pod): boolean {
    return !pod.metadata?.deletionTimestamp && pod.status?.phase === 'Running' && isPodReady(pod) && isPodAvailable(pod, view.set.spec?.minReadySeconds ?? 0, this.cfg.clock.now());
  }

  /** One pass of upstream's updateStatefulSet: replicas in order, then condemned, then the rolling update. */
  private async step(view: SetView): Promise<void> {
    const monotonic = (view.set.spec?.podManagementPolicy ?? 'OrderedReady') === 'OrderedReady';
    const start = view.set.spec?.ordinals?.start ?? 0;
    const end = start + (view.set.spec?.replicas ?? 1);
    for (let ord = start; ord < end; ord++) {
      const pod = view.byOrdinal.get(ord);
      if (pod && !pod.metadata?.deletionTimestamp && (pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded')) {
        await this.deletePod(view.set, pod);
        if (monotonic) return;
        continue;
      }
      if (!pod) {
        await this.createPod(view, ord);
        if (monotonic) return;
        continue;
      }
      if (monotonic && !this.healthy(view, pod)) return;
    }
    for (const pod of view.condemned) {
      if (pod.metadata?.deletionTimestamp) {
        if (monotonic) return;
        continue;
      }
      const unhealthy = [...view.byOrdinal.values(), ...view.condemned].filter((p) => p !== pod && !this.healthy(view, p));
      if (monotonic && unhealthy.length > 0) return;
      await this.releaseClaimsOnScaleDown(view.set, pod);
      await this.deletePod(view.set, pod);
      if (monotonic) return;
    }
    await this.rollingUpdate(view, start, end);
  }

  /** Deletes, from the highest ordinal down to the partition, one pod not yet at the update revision. */
  private async rollingUpdate(view: SetView, start: number, end: number): Promise<void> {
    const strategy = view.set.spec?.updateStrategy;
    if ((strategy?.type ?? 'RollingUpdate') !== 'RollingUpdate') return;
    const partition = Math.max(start, start + (strategy?.rollingUpdate?.partition ?? 0));
    for (let ord = end - 1; ord >= partition; ord--) {
      const pod = view.byOrdinal.get(ord);
      if (!pod) return;
      if (revisionOfPod(pod) !== view.update.metadata?.name && !pod.metadata?.deletionTimestamp) return void (await this.deletePod(view.set, pod));
      if (!this.healthy(view, pod)) return;
    }
  }

  /** Ordinals below the partition keep the current revision; the rest get the update revision. */
  private revisionFor(view: SetView, ord: number): ControllerRevision {
    const strategy = view.set.spec?.updateStrategy;
    if ((strategy?.type ?? 'RollingUpdate') !== 'RollingUpdate') return view.update;
    const partition = strategy?.rollingUpdate?.partition ?? 0;
    return ord - (view.set.spec?.ordinals?.start ?? 0) < partition ? view.current : view.update;
  }

  private async createPod(view: SetView, ord: number): Promise<void> {
    const set = view.set;
    for (const claim of claimsFor(set, ord)) {
      if (this.cfg.claims.get(`${claim.metadata?.namespace ?? ''}/${claim.metadata?.name ?? ''}`)) continue;
      await this.cfg.client.create(R.persistentvolumeclaims, claim).catch((err: unknown) => {
        if (!isAlreadyExists(err)) throw err;
      });
    }
    const rev = this.revisionFor(view, ord);
    const pod = newStatefulPod(set, ord, templateOfRevision(rev), rev.metadata?.name ?? '');
    try {
      await this.cfg.client.create(R.pods, pod);
      this.cfg.recorder.event(set, 'Normal', REASON.create, `create Pod ${pod.metadata?.name ?? ''} in StatefulSet ${set.metadata?.name ?? ''} successful`);
    } catch (err) {
      if (isAlreadyExists(err)) return;
      this.cfg.recorder.event(set, 'Warning', REASON.failedCreate, `create Pod ${pod.metadata?.name ?? ''} in StatefulSet ${set.metadata?.name ?? ''} failed error: ${String(err)}`);
      throw err;
    }
  }

  private async deletePod(set: StatefulSet, pod: Pod): Promise<void> {
    try {
      await this.cfg.client.delete(R.pods, pod.metadata?.namespace, pod.metadata?.name ?? '', { preconditions: { uid: pod.metadata?.uid } });
      this.cfg.recorder.event(set, 'Normal', REASON.delete, `delete Pod ${pod.metadata?.name ?? ''} in StatefulSet ${set.metadata?.name ?? ''} successful`);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  /** whenScaled: Delete hands a condemned ordinal's claims to its pod, so they go with it. */
  private async releaseClaimsOnScaleDown(set: StatefulSet, pod: Pod): Promise<void> {
    if (set.spec?.persistentVolumeClaimRetentionPolicy?.whenScaled !== 'Delete') return;
    const ord = ordinalOf(set, pod) ?? 0;
    for (const claim of claimsFor(set, ord)) {
      const ref = { apiVersion: 'v1', kind: 'Pod', name: pod.metadata?.name ?? '', uid: pod.metadata?.uid ?? '', blockOwnerDeletion: true };
      const existing = this.cfg.claims.get(`${claim.metadata?.namespace ?? ''}/${claim.metadata?.name ?? ''}`);
      if (!existing || existing.metadata?.ownerReferences?.some((o) => o.uid === ref.uid)) continue;
      await this.cfg.client.patch(R.persistentvolumeclaims, claim.metadata?.namespace, claim.metadata?.name ?? '', 'merge', { metadata: { ownerReferences: [...(existing.metadata?.ownerReferences ?? []), ref] } });
    }
  }

  private async writeStatus(set: StatefulSet, status: StatefulSet['status']): Promise<void> {
    if (canonicalJson(set.status ?? {}) === canonicalJson(status)) return;
    try {
      await this.cfg.client.updateStatus(R.statefulsets, { ...set, status });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}

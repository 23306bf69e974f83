import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { labelSelectorFromObject } from '../../api/selectors/label-selector.ts';
import { isConflict, isNotFound } from '../../client/api-error.ts';
import type { Clock } from '../../client/clock.ts';
import type { Lister } from '../../client/informer.ts';
import type { KubeClient } from '../../client/kube-client.ts';
import { R } from '../../client/resource-ref.ts';
import type { EventRecorder } from '../../controller/event-recorder.ts';
import type { Reconciler, Request, Result } from '../../controller/reconciler.ts';
import { Expectations } from '../workload-common/expectations.ts';
import { claimObjects, controllerRefTo } from '../workload-common/owner-refs.ts';
import { compareForDeletion } from '../workload-common/pod-ranking.ts';
import { isPodActive, nextAvailableInMs } from '../workload-common/pod-status.ts';
import { podFromTemplate } from '../workload-common/pod-template.ts';
import { calculateStatus, statusChanged, type ManageFailure } from './replicaset-status.ts';

/** Event reasons, as upstream's replica set controller records them. */
export const REASON = { created: 'SuccessfulCreate', failedCreate: 'FailedCreate', deleted: 'SuccessfulDelete', failedDelete: 'FailedDelete' } as const;

interface ManageOutcome {
  failure?: ManageFailure;
  deleted?: Set<string>;
}

/** Upstream's burstReplicas: at most this many pods created or deleted per reconcile. */
const BURST = 500;

export interface ReplicaSetReconcilerConfig {
  client: KubeClient;
  replicaSets: Lister<ReplicaSet>;
  pods: Lister<Pod>;
  clock: Clock;
  recorder: EventRecorder;
}

/** Level-based ReplicaSet sync: claim pods, create or delete to match replicas, write status. */
export class ReplicaSetReconciler implements Reconciler {
  private readonly expectations: Expectations;

  constructor(private readonly cfg: ReplicaSetReconcilerConfig) {
    this.expectations = new Expectations(cfg.clock);
  }

  async reconcile(req: Request): Promise<Result | void> {
    const key = `${req.namespace ?? ''}/${req.name}`;
    const cached = this.cfg.replicaSets.get(key);
    if (!cached) return this.expectations.lower(key);
    const rs = structuredClone(cached);
    const ns = req.namespace ?? '';
    const synced = this.expectations.satisfied(
      key,
      (name) => this.cfg.pods.get(`${ns}/${name}`) !== undefined,
      (name) => !this.cfg.pods.get(`${ns}/${name}`)?.metadata?.name || Boolean(this.cfg.pods.get(`${ns}/${name}`)?.metadata?.deletionTimestamp),
    );
    const owned = await this.claimPods(rs);
    const active = owned.filter(isPodActive);
    let outcome: ManageOutcome = {};
    if (synced && !rs.metadata?.deletionTimestamp) outcome = await this.manageReplicas(rs, key, active);
    const now = this.cfg.clock.now();
    // Status counts what is left: pods just deleted no longer count as available.
    const remaining = active.filter((p) => !outcome.deleted?.has(p.metadata?.name ?? ''));
    const status = calculateStatus(rs, remaining, outcome.failure, now);
    if (statusChanged(rs.status, status)) await this.writeStatus(rs, status);
    const wait = nextAvailableInMs(active, rs.spec?.minReadySeconds ?? 0, now);
    return wait === undefined ? undefined : { requeueAfterMs: wait };
  }

  private claimPods(rs: ReplicaSet): Promise<Pod[]> {
    const candidates = this.cfg.pods.byNamespace(rs.metadata?.namespace ?? '').filter((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
    return claimObjects({ client: this.cfg.client, resource: R.pods, owner: rs, ownerRef: controllerRefTo(rs, 'apps/v1', 'ReplicaSet'), selector: labelSelectorFromObject(rs.spec?.selector), candidates });
  }

  private async manageReplicas(rs: ReplicaSet, key: string, active: Pod[]): Promise<ManageOutcome> {
    const diff = active.length - (rs.spec?.replicas ?? 1);
    if (diff < 0) return { failure: await this.createPods(rs, key, Math.min(-diff, BURST)) };
    if (diff > 0) {
      const victims = [...active].sort(compareForDeletion).slice(0, Math.min(diff, BURST));
      return { failure: await this.deletePods(rs, key, victims), deleted: new Set(victims.map((p) => p.metadata?.name ?? '')) };
    }
    return {};
  }

  /** Creates in doubling batches (1, 2, 4 …) so a failing create (quota) stops after few tries. */
  private async createPods(rs: ReplicaSet, key: string, count: number): Promise<ManageFailure | undefined> {
    const ns = rs.metadata?.namespace ?? '';
    const pod = podFromTemplate(rs.spec?.template, { namespace: ns, generateName: `${rs.metadata?.name ?? ''}-`, ownerRef: controllerRefTo(rs, 'apps/v1', 'ReplicaSet') });
    let remaining = count;
    for (let batch = 1; remaining > 0; batch *= 2) {
      const size = Math.min(batch, remaining);
      const results = await Promise.allSettled(Array.from({ length: size }, () => this.cfg.client.create<Pod>(R.pods, structuredClone(pod))));
      const names = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.metadata?.name ?? ''] : []));
      this.expectations.expectCreations(key, names);
      for (const n of names) this.cfg.recorder.event(rs, 'Normal', REASON.created, `Created pod: ${n}`);
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) {
        const message = failed.reason instanceof Error ? failed.reason.message : String(failed.reason);
        this.cfg.recorder.event(rs, 'Warning', REASON.failedCreate, `Error creating: ${message}`);
        return { reason: 'FailedCreate', message };
      }
      remaining -= size;
    }
    return undefined;
  }

  private async deletePods(rs: ReplicaSet, key: string, victims: Pod[]): Promise<ManageFailure | undefined> {
    const ns = rs.metadata?.namespace ?? '';
    this.expectations.expectDeletions(key, victims.map((p) => p.metadata?.name ?? ''));
    let failure: ManageFailure | undefined;
    await Promise.all(
      victims.map(async (p) => {
        const name = p.metadata?.name ?? '';
        try {
          await this.cfg.client.delete(R.pods, ns, name, { preconditions: { uid: p.metadata?.uid } });
          this.cfg.recorder.event(rs, 'Normal', REASON.deleted, `Deleted pod: ${name}`);
        } catch (err) {
          if (isNotFound(err) || isConflict(err)) return;
          failure = { reason: 'FailedDelete', message: err instanceof Error ? err.message : String(err) };
          this.cfg.recorder.event(rs, 'Warning', REASON.failedDelete, `Error deleting: ${failure.message}`);
        }
      }),
    );
    return failure;
  }

  private async writeStatus(rs: ReplicaSet, status: ReplicaSet['status']): Promise<void> {
    try {
      await this.cfg.client.updateStatus(R.replicasets, { ...rs, status });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}

import type { Deployment, DeploymentStatus, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { labelSelectorFromObject } from '../../api/selectors/label-selector.ts';
import { isNotFound } from '../../client/api-error.ts';
import type { Clock } from '../../client/clock.ts';
import type { Lister } from '../../client/informer.ts';
import type { KubeClient } from '../../client/kube-client.ts';
import { R } from '../../client/resource-ref.ts';
import type { EventRecorder } from '../../controller/event-recorder.ts';
import type { Reconciler, Request, Result } from '../../controller/reconciler.ts';
import { claimObjects, controllerOf, controllerRefTo } from '../workload-common/owner-refs.ts';
import { canonicalJson } from '../workload-common/template-hash.ts';
import { DESIRED_REPLICAS } from './annotations.ts';
import { desiredReplicas, isRollingUpdate, specReplicas } from './deployment-math.ts';
import { applyProgress, calculateStatus, COND, getCondition, isComplete, setCondition, stuckRequeueMs } from './deployment-status.ts';
import { syncRevision } from './replica-sets.ts';
import { recreateStep } from './recreate.ts';
import { rollingStep } from './rolling.ts';
import { cleanupOldReplicaSets, scaleDeployment } from './scaling.ts';
import type { SyncState } from './sync-state.ts';

export interface DeploymentReconcilerConfig {
  client: KubeClient;
  deployments: Lister<Deployment>;
  replicaSets: Lister<ReplicaSet>;
  pods: Lister<Pod>;
  clock: Clock;
  recorder: EventRecorder;
}

/**
 * Upstream's syncDeployment, level-based: claim ReplicaSets, then (in this order) status only
 * while deleting, pause handling, scaling events, and a Recreate or RollingUpdate step, and
 * finally status with the Available/Progressing conditions kubectl reads.
 */
export class DeploymentReconciler implements Reconciler {
  constructor(private readonly cfg: DeploymentReconcilerConfig) {}

  async reconcile(req: Request): Promise<Result | void> {
    const cached = this.cfg.deployments.get(`${req.namespace ?? ''}/${req.name}`);
    if (!cached) return;
    const d = structuredClone(cached);
    const s: SyncState = { client: this.cfg.client, recorder: this.cfg.recorder, now: this.cfg.clock.now(), d, rss: [] };
    s.rss = (await this.claimReplicaSets(d)).map((rs) => structuredClone(rs));
    if (d.metadata?.deletionTimestamp) return this.writeStatus(s, (await syncRevision(s, false)).newRS, false);
    this.checkPaused(s);
    if (d.spec?.paused || (await this.isScalingEvent(s))) {
      const { newRS, old } = await syncRevision(s, false);
      await scaleDeployment(s, newRS, old);
      if (d.spec?.paused) await cleanupOldReplicaSets(s, old);
      return this.writeStatus(s, newRS, false);
    }
    const newRS = isRollingUpdate(d) ? await this.rolling(s) : await recreateStep(s, (rs) => this.podsOf(rs));
    return this.writeStatus(s, newRS, true);
  }

  private async rolling(s: SyncState): Promise<ReplicaSet | undefined> {
    const { newRS, old } = await syncRevision(s, true);
    if (!newRS) return undefined;
    const scaled = await rollingStep(s, newRS, old);
    const latest = s.rss.find((x) => x.metadata?.uid === newRS.metadata?.uid) ?? newRS;
    if (!scaled && isComplete(s.d, calculateStatus(s.rss, latest, s.d, s.now))) await cleanupOldReplicaSets(s, old);
    return latest;
  }

  private claimReplicaSets(d: Deployment): Promise<ReplicaSet[]> {
    const candidates = this.cfg.replicaSets.byNamespace(d.metadata?.namespace ?? '');
    return claimObjects({ client: this.cfg.client, resource: R.replicasets, owner: d, ownerRef: controllerRefTo(d, 'apps/v1', 'Deployment'), selector: labelSelectorFromObject(d.spec?.selector), candidates });
  }

  private podsOf(rs: ReplicaSet): Pod[] {
    return this.cfg.pods.byNamespace(rs.metadata?.namespace ?? '').filter((p) => controllerOf(p)?.uid === rs.metadata?.uid);
  }

  /** replicas changed since the active ReplicaSets were last sized (upstream's isScalingEvent). */
  private async isScalingEvent(s: SyncState): Promise<boolean> {
    const { newRS, old } = await syncRevision(s, false);
    const want = String(desiredReplicas(s.d));
    return [newRS, ...old].some((rs) => rs !== undefined && specReplicas(rs) > 0 && rs.metadata?.annotations?.[DESIRED_REPLICAS] !== undefined && rs.metadata.annotations[DESIRED_REPLICAS] !== want);
  }

  /** Progressing becomes Unknown/DeploymentPaused while paused, and True/DeploymentResumed after. */
  private checkPaused(s: SyncState): void {
    if (s.d.spec?.progressDeadlineSeconds === undefined) return;
    const cond = getCondition(s.d.status, 'Progressing');
    const status = structuredClone(s.d.status ?? {});
    if (s.d.spec.paused && cond?.reason !== COND.paused) setCondition(status, 'Progressing', 'Unknown', COND.paused, 'Deployment is paused', s.now);
    else if (!s.d.spec.paused && cond?.reason === COND.paused) setCondition(status, 'Progressing', 'Unknown', COND.resumed, 'Deployment is resumed', s.now);
    else return;
    s.d.status = status;
  }

  private async writeStatus(s: SyncState, newRS: ReplicaSet | undefined, rollout: boolean): Promise<Result | void> {
    const latest = newRS ? (s.rss.find((x) => x.metadata?.uid === newRS.metadata?.uid) ?? newRS) : undefined;
    const status: DeploymentStatus = calculateStatus(s.rss, latest, s.d, s.now);
    if (rollout && !s.d.spec?.paused) applyProgress(s.d, status, latest, s.now);
    const stored = this.cfg.deployments.get(`${s.d.metadata?.namespace ?? ''}/${s.d.metadata?.name ?? ''}`)?.status;
    if (canonicalJson(stored ?? {}) !== canonicalJson(status)) {
      try {
        await this.cfg.client.updateStatus(R.deployments, { ...s.d, status });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    const wait = rollout ? stuckRequeueMs(s.d, status, s.now) : undefined;
    return wait === undefined ? undefined : { requeueAfterMs: wait };
  }
}

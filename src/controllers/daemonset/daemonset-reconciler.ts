import type { ControllerRevision, DaemonSet, DaemonSetStatus } from 'kubernetes-types/apps/v1.js';
import type { Node, Pod, PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import { labelSelectorFromObject } from '../../api/selectors/label-selector.ts';
import { isNotFound } from '../../client/api-error.ts';
import type { Clock } from '../../client/clock.ts';
import type { Lister } from '../../client/informer.ts';
import type { KubeClient } from '../../client/kube-client.ts';
import { R } from '../../client/resource-ref.ts';
import type { EventRecorder } from '../../controller/event-recorder.ts';
import type { Reconciler, Request, Result } from '../../controller/reconciler.ts';
import { CONTROLLER_REVISION_HASH, syncUpdateRevision, templateOfRevision, truncateHistory } from '../workload-common/controller-revisions.ts';
import { Expectations } from '../workload-common/expectations.ts';
import { scaledValue } from '../workload-common/int-or-percent.ts';
import { claimObjects, controllerOf, controllerRefTo } from '../workload-common/owner-refs.ts';
import { isPodAvailable, isPodReady, nextAvailableInMs } from '../workload-common/pod-status.ts';
import { canonicalJson } from '../workload-common/template-hash.ts';
import { daemonPodFor, nodeOfDaemonPod } from './daemon-pod.ts';
import { eligibility } from './node-eligibility.ts';

/** Event reasons, as upstream's daemon set controller records them. */
export const REASON = { created: 'SuccessfulCreate', deleted: 'SuccessfulDelete', failedDaemonPod: 'FailedDaemonPod' } as const;

export interface DaemonSetReconcilerConfig {
  client: KubeClient;
  daemonSets: Lister<DaemonSet>;
  pods: Lister<Pod>;
  nodes: Lister<Node>;
  revisions: Lister<ControllerRevision>;
  clock: Clock;
  recorder: EventRecorder;
}

/** What one node has and should have. */
interface NodePlan {
  node: Node;
  shouldRun: boolean;
  shouldContinueRunning: boolean;
  pods: Pod[];
}

/** Upstream's DaemonSet sync: one pod per eligible node, rolled by revision within maxUnavailable/maxSurge. */
export class DaemonSetReconciler implements Reconciler {
  private readonly expectations: Expectations;

  constructor(private readonly cfg: DaemonSetReconcilerConfig) {
    this.expectations = new Expectations(cfg.clock);
  }

  async reconcile(req: Request): Promise<Result | void> {
    const key = `${req.namespace ?? ''}/${req.name}`;
    const cached = this.cfg.daemonSets.get(key);
    if (!cached) return this.expectations.lower(key);
    const ds = structuredClone(cached);
    const ns = ds.metadata?.namespace ?? '';
    const pods = await this.claimPods(ds);
    const revisions = this.cfg.revisions.byNamespace(ns).filter((r) => controllerOf(r)?.uid === ds.metadata?.uid);
    const synced = await syncUpdateRevision({ client: this.cfg.client, owner: ds, ownerRef: controllerRefTo(ds, 'apps/v1', 'DaemonSet'), revisions, template: ds.spec?.template, collisionCount: ds.status?.collisionCount ?? 0 });
    const hash = synced.revision.metadata?.labels?.[CONTROLLER_REVISION_HASH] ?? '';
    const template = templateOfRevision(synced.revision);
    const plans = this.plan(ds, pods, template, hash);
    const settled = this.expectations.satisfied(key, (n) => this.cfg.pods.get(`${ns}/${n}`) !== undefined, (n) => !this.cfg.pods.get(`${ns}/${n}`) || Boolean(this.cfg.pods.get(`${ns}/${n}`)?.metadata?.deletionTimestamp));
    if (settled && !ds.metadata?.deletionTimestamp) await this.manage(ds, key, plans, template, hash);
    const now = this.cfg.clock.now();
    await this.writeStatus(ds, this.status(ds, plans, hash, synced.collisionCount, now));
    const live = new Set([synced.revision.metadata?.name ?? '', ...revisions.filter((r) => pods.some((p) => p.metadata?.labels?.[CONTROLLER_REVISION_HASH] === r.metadata?.labels?.[CONTROLLER_REVISION_HASH])).map((r) => r.metadata?.name ?? '')]);
    await truncateHistory(this.cfg.client, revisions, live, ds.spec?.revisionHistoryLimit ?? 10);
    const wait = nextAvailableInMs(pods, ds.spec?.minReadySeconds ?? 0, now);
    return wait === undefined ? undefined : { requeueAfterMs: wait };
  }

  private claimPods(ds: DaemonSet): Promise<Pod[]> {
    const candidates = this.cfg.pods.byNamespace(ds.metadata?.namespace ?? '');
    return claimObjects({ client: this.cfg.client, resource: R.pods, owner: ds, ownerRef: controllerRefTo(ds, 'apps/v1', 'DaemonSet'), selector: labelSelectorFromObject(ds.spec?.selector), candidates });
  }

  private plan(ds: DaemonSet, pods: Pod[], template: PodTemplateSpec, hash: string): NodePlan[] {
    return this.cfg.nodes.list().map((node) => {
      const name = node.metadata?.name ?? '';
      const probe = daemonPodFor(ds, template, hash, name);
      return { node, ...eligibility(probe, node), pods: pods.filter((p) => nodeOfDaemonPod(p) === name) };
    });
  }

  private async manage(ds: DaemonSet, key: string, plans: NodePlan[], template: PodTemplateSpec, hash: string): Promise<void> {
    const create: string[] = [];
    const remove: Pod[] = [];
    const surge = this.maxSurge(ds, plans);
    for (const p of plans) {
      const live = p.pods.filter((x) => !x.metadata?.deletionTimestamp);
      const failed = live.filter((x) => x.status?.phase === 'Failed');
      if (p.shouldRun && live.length === 0) create.push(p.node.metadata?.name ?? '');
      else if (!p.shouldContinueRunning) remove.push(...live);
      else if (failed.length > 0) remove.push(...failed);
      else if (live.length > 1 && !(surge > 0 && live.length === 2 && live.some((x) => x.metadata?.labels?.[CONTROLLER_REVISION_HASH] === hash))) {
        remove.push(...[...live].sort((a, b) => Date.parse(b.metadata?.creationTimestamp ?? '') - Date.parse(a.metadata?.creationTimestamp ?? '')).slice(0, live.length - 1));
      }
    }
    if (create.length === 0 && remove.length === 0 && (ds.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate') this.rollingUpdate(ds, plans, hash, surge, create, remove);
    await this.createPods(ds, key, template, hash, create);
    await this.deletePods(ds, key, remove);
  }

  private maxSurge(ds: DaemonSet, plans: NodePlan[]): number {
    const desired = plans.filter((p) => p.shouldRun).length;
    return (ds.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate' ? scaledValue(ds.spec?.updateStrategy?.rollingUpdate?.maxSurge, desired, true) : 0;
  }

  private available(ds: DaemonSet, pod: Pod | undefined): boolean {
    return pod !== undefined && !pod.metadata?.deletionTimestamp && isPodAvailable(pod, ds.spec?.minReadySeconds ?? 0, this.cfg.clock.now());
  }

  /**
   * Upstream's rollingUpdate: without surge, delete old pods (unavailable ones freely, available
   * ones while fewer than maxUnavailable nodes lack an available pod); with surge, start a new pod
   * beside an old one (up to maxSurge at once) and delete the old one once the new is available.
   */
  private rollingUpdate(ds: DaemonSet, plans: NodePlan[], hash: string, surge: number, create: string[], remove: Pod[]): void {
    const running = plans.filter((p) => p.shouldRun);
    const desired = running.length;
    let maxUnavailable = scaledValue(ds.spec?.updateStrategy?.rollingUpdate?.maxUnavailable ?? 1, desired, true);
    if (surge === 0 && maxUnavailable === 0) maxUnavailable = 1;
    const isNew = (p: Pod) => p.metadata?.labels?.[CONTROLLER_REVISION_HASH] === hash;
    let unavailable = running.filter((p) => !p.pods.some((x) => this.available(ds, x))).length;
    let surging = running.filter((p) => p.pods.some(isNew) && p.pods.some((x) => !isNew(x) && !x.metadata?.deletionTimestamp)).length;
    for (const p of running) {
      const old = p.pods.find((x) => !isNew(x) && !x.metadata?.deletionTimestamp);
      if (!old) continue;
      const fresh = p.pods.find(isNew);
      if (surge > 0) {
        if (fresh) {
          if (this.available(ds, fresh)) remove.push(old);
        } else if (!this.available(ds, old)) remove.push(old);
        else if (surging < surge) {
          create.push(p.node.metadata?.name ?? '');
          surging++;
        }
      } else if (!this.available(ds, old)) remove.push(old);
      else if (unavailable < maxUnavailable) {
        remove.push(old);
        unavailable++;
      }
    }
  }

  private async createPods(ds: DaemonSet, key: string, template: PodTemplateSpec, hash: string, nodes: string[]): Promise<void> {
    const results = await Promise.allSettled(nodes.map((n) => this.cfg.client.create<Pod>(R.pods, daemonPodFor(ds, template, hash, n))));
    const names = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.metadata?.name ?? ''] : []));
    this.expectations.expectCreations(key, names);
    for (const n of names) this.cfg.recorder.event(ds, 'Normal', REASON.created, `Created pod: ${n}`);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason instanceof Error ? failed.reason : new Error(String(failed.reason));
  }

  private async deletePods(ds: DaemonSet, key: string, pods: Pod[]): Promise<void> {
    this.expectations.expectDeletions(key, pods.map((p) => p.metadata?.name ?? ''));
    for (const p of pods) {
      await this.cfg.client.delete(R.pods, p.metadata?.namespace, p.metadata?.name ?? '', { preconditions: { uid: p.metadata?.uid } }).catch((err: unknown) => {
        if (!isNotFound(err)) throw err;
      });
      this.cfg.recorder.event(ds, 'Normal', REASON.deleted, `Deleted pod: ${p.metadata?.name ?? ''}`);
    }
  }

  private status(ds: DaemonSet, plans: NodePlan[], hash: string, collisionCount: number, now: Date): DaemonSetStatus {
    const running = plans.filter((p) => p.shouldRun);
    const live = (p: NodePlan) => p.pods.filter((x) => !x.metadata?.deletionTimestamp);
    const minReady = ds.spec?.minReadySeconds ?? 0;
    const available = running.filter((p) => live(p).some((x) => isPodAvailable(x, minReady, now))).length;
    return {
      desiredNumberScheduled: running.length,
      currentNumberScheduled: running.filter((p) => live(p).length > 0).length,
      numberMisscheduled: plans.filter((p) => !p.shouldRun && live(p).length > 0).length,
      numberReady: running.filter((p) => live(p).some(isPodReady)).length,
      updatedNumberScheduled: running.filter((p) => live(p).some((x) => x.metadata?.labels?.[CONTROLLER_REVISION_HASH] === hash)).length,
      numberAvailable: available,
      numberUnavailable: running.length - available,
      observedGeneration: ds.metadata?.generation,
      collisionCount,
    };
  }

  private async writeStatus(ds: DaemonSet, status: DaemonSetStatus): Promise<void> {
    if (canonicalJson(ds.status ?? {}) === canonicalJson(status)) return;
    try {
      await this.cfg.client.updateStatus(R.daemonsets, { ...ds, status });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}

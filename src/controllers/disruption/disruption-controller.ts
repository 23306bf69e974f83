import { isDeepStrictEqual } from 'node:util';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { PodDisruptionBudget, PodDisruptionBudgetStatus } from 'kubernetes-types/policy/v1.js';
import { isConflict, isNotFound } from '../../client/api-error.ts';
import { R } from '../../client/resource-ref.ts';
import type { EventRecorder } from '../../controller/event-recorder.ts';
import type { Reconciler, Request, Result, Watch } from '../../controller/reconciler.ts';
import { selfRequest } from '../../controller/reconciler.ts';
import type { ControllerContext, ControllerFactory } from '../controller-context.ts';
import { budgetSelects, budgetStatus, countHealthy, desiredCounts, failSafeStatus, needsControllerScale, pendingDisruptions } from './budget.ts';
import { controllerScale } from './owner-scale.ts';

/** Event reasons, as upstream's disruption controller records them. */
export const REASON_NO_PODS = 'NoPods';
export const REASON_UNMANAGED_PODS = 'UnmanagedPods';
export const REASON_CALCULATE_FAILED = 'CalculateExpectedPodCountFailed';

/**
 * Keeps each PodDisruptionBudget's status current: healthy pods among those it selects, how many
 * must stay healthy (minAvailable / maxUnavailable, percentages against the controllers' scale), and
 * so how many disruptions the Eviction API may allow. Evictions the API server recorded under
 * `disruptedPods` keep their pod out of the healthy count until it terminates or two minutes pass.
 */
export class DisruptionReconciler implements Reconciler {
  private readonly recorder: EventRecorder;

  constructor(private readonly ctx: ControllerContext) {
    this.recorder = ctx.recorder('controllermanager');
  }

  async reconcile(req: Request): Promise<Result | void> {
    const cached = this.ctx.informers.for<PodDisruptionBudget>(R.poddisruptionbudgets).get(`${req.namespace ?? ''}/${req.name}`);
    if (!cached) return;
    const pdb = structuredClone(cached);
    const pods = this.ctx.informers.for<Pod>(R.pods).byNamespace(req.namespace ?? '').filter((p) => budgetSelects(pdb, p));
    const now = this.ctx.clock.now();
    if (pods.length === 0) this.recorder.event(pdb, 'Normal', REASON_NO_PODS, 'No matching pods found');
    let scale = 0;
    if (needsControllerScale(pdb)) {
      try {
        const found = await controllerScale(pods, this.ctx.informers, this.ctx.client);
        scale = found.scale;
        if (found.unmanaged.length > 0) this.warnUnmanaged(pdb, found.unmanaged);
      } catch (err) {
        const message = `Failed to calculate the number of expected pods: ${err instanceof Error ? err.message : String(err)}`;
        this.recorder.event(pdb, 'Warning', REASON_CALCULATE_FAILED, message);
        await this.write(pdb, failSafeStatus(pdb, message, rfc3339(now)));
        throw err;
      }
    }
    const { expectedPods, desiredHealthy } = desiredCounts(pdb, pods.length, scale);
    const { disrupted, nextExpiryMs } = pendingDisruptions(pdb, pods, now);
    const status = budgetStatus(pdb, { currentHealthy: countHealthy(pods, disrupted), desiredHealthy, expectedPods, disrupted }, rfc3339(now));
    if (!(await this.write(pdb, status))) return { requeueAfterMs: 0 };
    return nextExpiryMs !== undefined ? { requeueAfterMs: nextExpiryMs } : undefined;
  }

  private warnUnmanaged(pdb: PodDisruptionBudget, names: string[]): void {
    const message = `Pods selected by this PodDisruptionBudget (selector: ${JSON.stringify(pdb.spec?.selector ?? {})}) were found to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.`;
    this.recorder.event(pdb, 'Warning', REASON_UNMANAGED_PODS, names.length > 0 ? message : '');
  }

  /** Writes status when it changed; false when the budget moved on meanwhile (an eviction). */
  private async write(pdb: PodDisruptionBudget, status: PodDisruptionBudgetStatus): Promise<boolean> {
    if (isDeepStrictEqual(withoutTimes(pdb.status), withoutTimes(status))) return true;
    try {
      await this.ctx.client.updateStatus(R.poddisruptionbudgets, { ...pdb, status });
      return true;
    } catch (err) {
      if (isNotFound(err)) return true;
      if (isConflict(err)) return false;
      throw err;
    }
  }
}

/** Status compared without condition transition times, which a rewrite alone must not bump. */
function withoutTimes(status: PodDisruptionBudgetStatus | undefined): unknown {
  if (!status) return undefined;
  return { ...status, conditions: (status.conditions ?? []).map((c) => ({ ...c, lastTransitionTime: undefined })) };
}

function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The disruption controller: recomputes budgets when they, their pods or the pods' controllers change. */
export const createDisruptionController: ControllerFactory = (ctx) => {
  const budgets = ctx.informers.for<PodDisruptionBudget>(R.poddisruptionbudgets);
  // Every budget of the namespace: a pod whose labels changed may have left one (the event carries only the new object).
  const budgetsInNamespace = (obj: { metadata?: { namespace?: string } }): Request[] => budgets.byNamespace(obj.metadata?.namespace ?? '').flatMap(selfRequest);
  const watches: Watch[] = [
    { informer: budgets, toRequests: selfRequest },
    { informer: ctx.informers.for<Pod>(R.pods), toRequests: budgetsInNamespace },
    ...[R.replicasets, R.deployments, R.statefulsets, R.replicationcontrollers].map((r) => ({ informer: ctx.informers.for(r), toRequests: budgetsInNamespace })),
  ] as Watch[];
  return { name: 'disruption', reconciler: new DisruptionReconciler(ctx), watches, workers: 2 };
};

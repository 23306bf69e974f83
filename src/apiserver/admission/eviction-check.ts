import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Condition } from 'kubernetes-types/meta/v1.js';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import { labelSelectorFromObject } from '../../api/selectors/label-selector.ts';
import type { ResourceDefinition } from '../../api/resource-definition.ts';
import type { KubeObject } from '../../api/types.ts';
import type { ApiContext } from '../api-context.ts';
import { rfc3339 } from '../lifecycle/metadata.ts';
import { forbidden, isStatusError, StatusError } from '../status-error.ts';

/** Upstream's refusal text; `kubectl drain` prints it and retries. */
export const EVICTION_REFUSED = "Cannot evict pod as it would violate the pod's disruption budget.";
/** Status cause type naming the budget that refused an eviction. */
export const DISRUPTION_BUDGET_CAUSE = 'DisruptionBudget';
const MAX_ATTEMPTS = 5;
/** Beyond this many unconfirmed evictions the budget refuses more (upstream MaxDisruptedPodSize). */
const MAX_DISRUPTED_PODS = 2000;

const tooManyRequests = (message: string, cause: string, retryAfterSeconds?: number) =>
  new StatusError(429, 'TooManyRequests', message, { causes: [{ reason: DISRUPTION_BUDGET_CAUSE, message: cause }], ...(retryAfterSeconds ? { retryAfterSeconds } : {}) });

/**
 * The Eviction API's budget check (upstream EvictionREST): a pod covered by a PodDisruptionBudget
 * that allows no disruption is refused with 429; otherwise `disruptionsAllowed` is decremented and
 * the pod recorded under `disruptedPods` (compare-and-swap on the budget) before the caller deletes
 * the pod. Terminal, pending and already-terminating pods are never held back.
 */
export function createEvictionCheck(ctx: ApiContext): (namespace: string, name: string) => Promise<void> {
  return async (namespace, name) => {
    const podDef = ctx.catalog().find('', 'v1', 'pods');
    const pdbDef = ctx.catalog().find('policy', 'v1', 'poddisruptionbudgets');
    if (!podDef || !pdbDef) return;
    for (let attempt = 0; ; attempt++) {
      const pod = (await ctx.objects.tryGet(podDef, namespace, name)) as Pod | undefined;
      if (!pod || canIgnoreBudget(pod)) return;
      const budgets = ((await ctx.objects.list(pdbDef, { namespace })).items as PodDisruptionBudget[]).filter((b) => selectsPod(b, pod));
      if (budgets.length === 0) return;
      if (budgets.length > 1) throw new StatusError(500, 'InternalError', 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
      const pdb = budgets[0] as PodDisruptionBudget;
      if (!isPodReady(pod) && unhealthyPodMayGo(pdb)) return;
      try {
        await checkAndDecrement(ctx, pdbDef, pdb, name);
        return;
      } catch (err) {
        if (!(isStatusError(err) && err.reason === 'Conflict') || attempt + 1 >= MAX_ATTEMPTS) throw err;
      }
    }
  };
}

function canIgnoreBudget(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || Boolean(pod.metadata?.deletionTimestamp);
}

/** policy/v1: a nil selector selects nothing, an empty one every pod of the namespace. */
function selectsPod(pdb: PodDisruptionBudget, pod: Pod): boolean {
  if (!pdb.spec?.selector) return false;
  return labelSelectorFromObject(pdb.spec.selector).matches(pod.metadata?.labels);
}

function isPodReady(pod: Pod): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** An unready pod costs the budget nothing: always under AlwaysAllow, else while the budget is met. */
function unhealthyPodMayGo(pdb: PodDisruptionBudget): boolean {
  if (pdb.spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow') return true;
  const status = pdb.status;
  return (status?.desiredHealthy ?? 0) > 0 && (status?.currentHealthy ?? 0) >= (status?.desiredHealthy ?? 0);
}

async function checkAndDecrement(ctx: ApiContext, pdbDef: ResourceDefinition, pdb: PodDisruptionBudget, podName: string): Promise<void> {
  const pdbName = pdb.metadata?.name ?? '';
  const status = pdb.status;
  if ((status?.observedGeneration ?? 0) < (pdb.metadata?.generation ?? 0)) {
    throw tooManyRequests(EVICTION_REFUSED, `The disruption budget ${pdbName} is still being processed by the server.`, 10);
  }
  const allowed = status?.disruptionsAllowed ?? 0;
  if (allowed < 0) throw forbidden(`poddisruptionbudgets.policy "${pdbName}" is forbidden: pdb disruptions allowed is negative`, { name: pdbName, group: 'policy', kind: 'poddisruptionbudgets' });
  if (Object.keys(status?.disruptedPods ?? {}).length > MAX_DISRUPTED_PODS) {
    throw forbidden(`poddisruptionbudgets.policy "${pdbName}" is forbidden: DisruptedPods map too big - too many evictions not confirmed by PDB controller`, { name: pdbName, group: 'policy', kind: 'poddisruptionbudgets' });
  }
  if (allowed === 0) {
    throw tooManyRequests(EVICTION_REFUSED, `The disruption budget ${pdbName} needs ${status?.desiredHealthy ?? 0} healthy pods and has ${status?.currentHealthy ?? 0} currently`);
  }
  const now = rfc3339(ctx.now());
  const next = structuredClone(pdb) as PodDisruptionBudget & KubeObject;
  const nextStatus = (next.status ??= { currentHealthy: 0, desiredHealthy: 0, disruptionsAllowed: 0, expectedPods: 0 });
  nextStatus.disruptionsAllowed = allowed - 1;
  nextStatus.disruptedPods = { ...(nextStatus.disruptedPods ?? {}), [podName]: now };
  if (nextStatus.disruptionsAllowed === 0) nextStatus.conditions = withDisruptionCondition(nextStatus.conditions ?? [], false, now, nextStatus.observedGeneration);
  await ctx.objects.update(pdbDef, next);
}

function withDisruptionCondition(conditions: Condition[], allowed: boolean, now: string, observedGeneration?: number): Condition[] {
  const status = allowed ? 'True' : 'False';
  const previous = conditions.find((c) => c.type === 'DisruptionAllowed');
  const condition: Condition = {
    type: 'DisruptionAllowed',
    status,
    reason: allowed ? 'SufficientPods' : 'InsufficientPods',
    message: previous?.status === status ? previous.message : '',
    lastTransitionTime: previous?.status === status ? previous.lastTransitionTime : now,
    ...(observedGeneration !== undefined ? { observedGeneration } : {}),
  };
  return [...conditions.filter((c) => c.type !== 'DisruptionAllowed'), condition];
}

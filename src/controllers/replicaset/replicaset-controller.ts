import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { labelSelectorFromObject } from '../../api/selectors/label-selector.ts';
import type { KubeObject } from '../../api/types.ts';
import { R } from '../../client/resource-ref.ts';
import { ownerRequest, selfRequest, type ControllerConfig, type Request, type Watch } from '../../controller/reconciler.ts';
import type { ControllerContext } from '../controller-context.ts';
import { controllerOf } from '../workload-common/owner-refs.ts';
import { ReplicaSetReconciler } from './replicaset-reconciler.ts';

/**
 * Orphan pods go to every ReplicaSet in their namespace that selects them, so one of them can
 * adopt; owned pods go to their owner.
 */
function podToReplicaSets(rsLister: { byNamespace(ns: string): ReplicaSet[] }) {
  return (pod: Pod): Request[] => {
    if (controllerOf(pod)) return ownerRequest(pod as KubeObject, 'ReplicaSet');
    const ns = pod.metadata?.namespace ?? '';
    return rsLister
      .byNamespace(ns)
      .filter((rs) => rs.spec?.selector && labelSelectorFromObject(rs.spec.selector).matches(pod.metadata?.labels))
      .map((rs) => ({ namespace: ns, name: rs.metadata?.name ?? '' }));
  };
}

/** The ReplicaSet controller: keeps `spec.replicas` pods matching the selector. */
export function createReplicaSetController(ctx: ControllerContext): ControllerConfig {
  const replicaSets = ctx.informers.for<ReplicaSet>(R.replicasets);
  const pods = ctx.informers.for<Pod>(R.pods);
  const watches: Watch[] = [
    { informer: replicaSets, toRequests: selfRequest } as Watch,
    { informer: pods, toRequests: podToReplicaSets(replicaSets) } as Watch,
  ];
  return {
    name: 'replicaset',
    workers: 5,
    reconciler: new ReplicaSetReconciler({ client: ctx.client, replicaSets, pods, clock: ctx.clock, recorder: ctx.recorder('replicaset-controller') }),
    watches,
  };
}

import type { ControllerRevision, StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/types.ts';
import { R } from '../../client/resource-ref.ts';
import { ownerRequest, selfRequest, type ControllerConfig, type Watch } from '../../controller/reconciler.ts';
import type { ControllerContext } from '../controller-context.ts';
import { StatefulSetReconciler } from './statefulset-reconciler.ts';

/** The StatefulSet controller: stable, ordered pods with their own claims, rolled by revision. */
export function createStatefulSetController(ctx: ControllerContext): ControllerConfig {
  const sets = ctx.informers.for<StatefulSet>(R.statefulsets);
  const pods = ctx.informers.for<Pod>(R.pods);
  const revisions = ctx.informers.for<ControllerRevision>(R.controllerrevisions);
  const claims = ctx.informers.for<PersistentVolumeClaim>(R.persistentvolumeclaims);
  const toSet = (obj: KubeObject) => ownerRequest(obj, 'StatefulSet');
  const watches = [
    { informer: sets, toRequests: selfRequest } as Watch,
    { informer: pods, toRequests: toSet } as Watch,
    { informer: revisions, toRequests: toSet } as Watch,
  ];
  return {
    name: 'statefulset',
    workers: 5,
    reconciler: new StatefulSetReconciler({ client: ctx.client, sets, pods, revisions, claims, clock: ctx.clock, recorder: ctx.recorder('statefulset-controller') }),
    watches,
  };
}

import type { ControllerRevision, DaemonSet } from 'kubernetes-types/apps/v1.js';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/types.ts';
import { R } from '../../client/resource-ref.ts';
import { ownerRequest, selfRequest, type ControllerConfig, type Watch } from '../../controller/reconciler.ts';
import type { ControllerContext } from '../controller-context.ts';
import { DaemonSetReconciler } from './daemonset-reconciler.ts';

/** The DaemonSet controller: one pod per eligible node; any node change wakes every DaemonSet. */
export function createDaemonSetController(ctx: ControllerContext): ControllerConfig {
  const daemonSets = ctx.informers.for<DaemonSet>(R.daemonsets);
  const pods = ctx.informers.for<Pod>(R.pods);
  const nodes = ctx.informers.for<Node>(R.nodes);
  const revisions = ctx.informers.for<ControllerRevision>(R.controllerrevisions);
  const toDaemonSet = (obj: KubeObject) => ownerRequest(obj, 'DaemonSet');
  const allDaemonSets = () => daemonSets.list().map((ds) => ({ namespace: ds.metadata?.namespace, name: ds.metadata?.name ?? '' }));
  const watches = [
    { informer: daemonSets, toRequests: selfRequest } as Watch,
    { informer: pods, toRequests: toDaemonSet } as Watch,
    { informer: revisions, toRequests: toDaemonSet } as Watch,
    { informer: nodes, toRequests: allDaemonSets } as Watch,
  ];
  return {
    name: 'daemonset',
    workers: 5,
    reconciler: new DaemonSetReconciler({ client: ctx.client, daemonSets, pods, nodes, revisions, clock: ctx.clock, recorder: ctx.recorder('daemonset-controller') }),
    watches,
  };
}

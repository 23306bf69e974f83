import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { labelSelectorFromObject } from '../../api/selectors/label-selector.ts';
import type { Lister } from '../../client/informer.ts';
import { R } from '../../client/resource-ref.ts';
import { selfRequest, type ControllerConfig, type Request, type Watch } from '../../controller/reconciler.ts';
import type { ControllerContext } from '../controller-context.ts';
import { controllerOf } from '../workload-common/owner-refs.ts';
import { DeploymentReconciler } from './deployment-reconciler.ts';

/** An owned ReplicaSet wakes its Deployment; an orphan wakes every Deployment that selects it. */
function replicaSetToDeployments(deployments: Lister<Deployment>) {
  return (rs: ReplicaSet): Request[] => {
    const ns = rs.metadata?.namespace ?? '';
    const ref = controllerOf(rs);
    if (ref) return ref.kind === 'Deployment' ? [{ namespace: ns, name: ref.name }] : [];
    return deployments
      .byNamespace(ns)
      .filter((d) => d.spec?.selector && labelSelectorFromObject(d.spec.selector).matches(rs.metadata?.labels))
      .map((d) => ({ namespace: ns, name: d.metadata?.name ?? '' }));
  };
}

/** Pods wake the Deployment that owns their ReplicaSet (Recreate waits for old pods to go). */
function podToDeployment(replicaSets: Lister<ReplicaSet>) {
  return (pod: Pod): Request[] => {
    const ns = pod.metadata?.namespace ?? '';
    const rsRef = controllerOf(pod);
    if (rsRef?.kind !== 'ReplicaSet') return [];
    const dRef = controllerOf(replicaSets.get(`${ns}/${rsRef.name}`) ?? {});
    return dRef?.kind === 'Deployment' ? [{ namespace: ns, name: dRef.name }] : [];
  };
}

/** The Deployment controller: rolls pod templates out through one ReplicaSet per template. */
export function createDeploymentController(ctx: ControllerContext): ControllerConfig {
  const deployments = ctx.informers.for<Deployment>(R.deployments);
  const replicaSets = ctx.informers.for<ReplicaSet>(R.replicasets);
  const pods = ctx.informers.for<Pod>(R.pods);
  const watches = [
    { informer: deployments, toRequests: selfRequest } as Watch,
    { informer: replicaSets, toRequests: replicaSetToDeployments(deployments) } as Watch,
    { informer: pods, toRequests: podToDeployment(replicaSets) } as Watch,
  ];
  return {
    name: 'deployment',
    workers: 5,
    reconciler: new DeploymentReconciler({ client: ctx.client, deployments, replicaSets, pods, clock: ctx.clock, recorder: ctx.recorder('deployment-controller') }),
    watches,
  };
}

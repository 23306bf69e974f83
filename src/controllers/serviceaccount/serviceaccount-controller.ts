import type { KubeObject } from '../../api/types.ts';
import type { Namespace, ServiceAccount } from 'kubernetes-types/core/v1.js';
import { ApiError, isAlreadyExists } from '../../client/api-error.ts';
import { R } from '../../client/resource-ref.ts';
import type { Reconciler, Request } from '../../controller/reconciler.ts';
import type { ControllerContext, ControllerFactory } from '../controller-context.ts';

/** A kubernetes-types object as the informers hold it. */
type Obj<T> = T & KubeObject;

/** The ServiceAccount every namespace gets (upstream `serviceaccounts-controller`). */
export const DEFAULT_SERVICE_ACCOUNT = 'default';

/**
 * Ensures the `default` ServiceAccount exists in every active namespace, recreating it when it is
 * deleted. Terminating namespaces are left alone: creates there are forbidden anyway.
 */
export class ServiceAccountReconciler implements Reconciler {
  constructor(private readonly ctx: ControllerContext) {}

  async reconcile(req: Request): Promise<void> {
    const namespace = this.ctx.informers.for<Obj<Namespace>>(R.namespaces).get(req.name);
    if (!namespace || namespace.metadata?.deletionTimestamp || namespace.status?.phase === 'Terminating') return;
    const accounts = this.ctx.informers.for<Obj<ServiceAccount>>(R.serviceaccounts);
    if (accounts.get(`${req.name}/${DEFAULT_SERVICE_ACCOUNT}`)) return;
    try {
      await this.ctx.client.create(R.serviceaccounts, { metadata: { name: DEFAULT_SERVICE_ACCOUNT, namespace: req.name } });
    } catch (err) {
      // Already there (the cache lagged) or the namespace began terminating meanwhile: both are fine.
      if (!isAlreadyExists(err) && !(err instanceof ApiError && err.code === 403)) throw err;
    }
  }
}

/** Factory registered as `serviceaccount`. */
export const createServiceAccountController: ControllerFactory = (ctx) => ({
  name: 'serviceaccount',
  reconciler: new ServiceAccountReconciler(ctx),
  watches: [
    { informer: ctx.informers.for(R.namespaces), toRequests: (ns) => [{ name: ns.metadata?.name ?? '' }] },
    {
      informer: ctx.informers.for(R.serviceaccounts),
      toRequests: (sa) => (sa.metadata?.name === DEFAULT_SERVICE_ACCOUNT ? [{ name: sa.metadata.namespace ?? '' }] : []),
    },
  ],
});

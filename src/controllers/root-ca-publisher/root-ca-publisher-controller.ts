import type { ConfigMap, Namespace } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/types.ts';
import { ApiError, isAlreadyExists, isNotFound } from '../../client/api-error.ts';
import { R } from '../../client/resource-ref.ts';
import type { Reconciler, Request } from '../../controller/reconciler.ts';
import type { ControllerConfig } from '../../controller/reconciler.ts';
import type { ControllerContext } from '../controller-context.ts';

type Obj<T> = T & KubeObject;

/** The ConfigMap every namespace gets, holding the cluster CA that in-cluster clients trust. */
export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';
const CA_KEY = 'ca.crt';
/** Upstream marks the ConfigMap so that people can tell who keeps it in line. */
const ANNOTATION = 'kubernetes.io/description';
const DESCRIPTION =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';

/**
 * Publishes the cluster CA as `kube-root-ca.crt` in every active namespace, and puts it back when it
 * is edited or deleted (upstream `root-ca-cert-publisher`). Service account token volumes project it
 * as `ca.crt`, which is how pods verify the API server.
 */
export class RootCaPublisher implements Reconciler {
  constructor(
    private readonly ctx: ControllerContext,
    private readonly caCert: string,
  ) {}

  async reconcile(req: Request): Promise<void> {
    const ns = this.ctx.informers.for<Obj<Namespace>>(R.namespaces).get(req.name);
    if (!ns || ns.metadata?.deletionTimestamp || ns.status?.phase === 'Terminating') return;
    const cm = this.ctx.informers.for<Obj<ConfigMap>>(R.configmaps).get(`${req.name}/${ROOT_CA_CONFIGMAP}`);
    try {
      if (!cm) {
        await this.ctx.client.create(R.configmaps, {
          metadata: { name: ROOT_CA_CONFIGMAP, namespace: req.name, annotations: { [ANNOTATION]: DESCRIPTION } },
          data: { [CA_KEY]: this.caCert },
        });
      } else if (cm.data?.[CA_KEY] !== this.caCert || Object.keys(cm.data ?? {}).length !== 1) {
        const fixed = structuredClone(cm);
        fixed.data = { [CA_KEY]: this.caCert };
        await this.ctx.client.update(R.configmaps, fixed);
      }
    } catch (err) {
      // Already there (the cache lagged), gone meanwhile, or the namespace began terminating: the watch brings us back if needed.
      if (isAlreadyExists(err) || isNotFound(err) || (err instanceof ApiError && err.code === 403)) return;
      throw err;
    }
  }
}

/** Factory registered as `root-ca-cert-publisher`; `caCert` is the PEM the API server's serving cert chains to. */
export function createRootCaPublisherController(ctx: ControllerContext, caCert: string): ControllerConfig {
  return {
    name: 'root-ca-cert-publisher',
    reconciler: new RootCaPublisher(ctx, caCert),
    watches: [
      { informer: ctx.informers.for(R.namespaces), toRequests: (ns) => [{ name: ns.metadata?.name ?? '' }] },
      {
        informer: ctx.informers.for(R.configmaps),
        toRequests: (cm) => (cm.metadata?.name === ROOT_CA_CONFIGMAP ? [{ name: cm.metadata.namespace ?? '' }] : []),
      },
    ],
  };
}

import type { Node, PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import { isConflict, isNotFound } from '../../client/api-error.ts';
import { R } from '../../client/resource-ref.ts';
import type { ControllerConfig, Reconciler, Request, Result } from '../../controller/reconciler.ts';
import { selfRequest } from '../../controller/reconciler.ts';
import type { ControllerContext } from '../controller-context.ts';
import { syncClaim, type BinderDeps } from './claim-sync.ts';
import type { VolumeProvisioner } from './volume-provisioner.ts';
import { syncVolume } from './volume-sync.ts';

export interface VolumeBinderOptions {
  /** Dynamic provisioners, by the name StorageClasses give as `provisioner`. */
  provisioners?: VolumeProvisioner[];
}

/**
 * The PersistentVolume controller: one queue for claims (namespaced requests) and volumes
 * (cluster-scoped requests). Claims bind to the smallest fitting volume or one provisioned for
 * them; volumes follow their claim through Bound, Released and reclaim.
 */
export class VolumeBinderReconciler implements Reconciler {
  private readonly deps: BinderDeps;

  constructor(
    private readonly ctx: ControllerContext,
    opts: VolumeBinderOptions = {},
  ) {
    const pvs = ctx.informers.for<PersistentVolume>(R.persistentvolumes);
    const classes = ctx.informers.for<StorageClass>(R.storageclasses);
    const nodes = ctx.informers.for<Node>(R.nodes);
    this.deps = {
      client: ctx.client,
      recorder: ctx.recorder('persistentvolume-controller'),
      provisioners: new Map((opts.provisioners ?? []).map((p) => [p.name, p])),
      volumes: () => pvs.list(),
      volume: (name) => pvs.get(name),
      storageClass: (name) => classes.get(name),
      node: (name) => nodes.get(name),
    };
  }

  async reconcile(req: Request): Promise<Result | void> {
    const claims = this.ctx.informers.for<PersistentVolumeClaim>(R.persistentvolumeclaims);
    try {
      if (req.namespace) {
        const claim = claims.get(`${req.namespace}/${req.name}`);
        if (claim) await syncClaim(this.deps, claim);
        return;
      }
      const pv = this.deps.volume(req.name);
      if (pv) await syncVolume(this.deps, pv, (ns, name) => claims.get(`${ns}/${name}`));
    } catch (err) {
      // Someone else wrote first: the watch event for their write brings this key back.
      if (isConflict(err) || isNotFound(err)) return { requeueAfterMs: 100 };
      throw err;
    }
  }
}

/** The PV binder; `opts.provisioners` registers dynamic provisioners (none: external provisioning). */
export function createVolumeBinderController(ctx: ControllerContext, opts: VolumeBinderOptions = {}): ControllerConfig {
  const claims = ctx.informers.for<PersistentVolumeClaim>(R.persistentvolumeclaims);
  const pvs = ctx.informers.for<PersistentVolume>(R.persistentvolumes);
  const claimOfVolume = (pv: PersistentVolume): Request[] => {
    const ref = pv.spec?.claimRef;
    return [{ name: pv.metadata?.name ?? '' }, ...(ref?.namespace && ref.name ? [{ namespace: ref.namespace, name: ref.name }] : [])];
  };
  // A new or freed volume may fit any waiting claim; a claim's change may release its volume.
  const pendingClaims = (): Request[] => claims.list((c) => !c.spec?.volumeName).flatMap(selfRequest);
  const volumeOfClaim = (c: PersistentVolumeClaim): Request[] => [...selfRequest(c), ...(c.spec?.volumeName ? [{ name: c.spec.volumeName }] : [])];
  return {
    name: 'volumebinder',
    reconciler: new VolumeBinderReconciler(ctx, opts),
    watches: [
      { informer: claims, toRequests: volumeOfClaim },
      { informer: pvs, toRequests: (pv: PersistentVolume) => [...claimOfVolume(pv), ...(pv.spec?.claimRef ? [] : pendingClaims())] },
      { informer: ctx.informers.for<StorageClass>(R.storageclasses), toRequests: pendingClaims },
      { informer: ctx.informers.for<Node>(R.nodes), toRequests: () => [] },
    ] as ControllerConfig['watches'],
    workers: 2,
  };
}

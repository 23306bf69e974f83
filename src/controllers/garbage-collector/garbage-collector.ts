import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import type { ObjectLike } from '../../api/types.ts';
import { isConflict, isNotFound } from '../../client/api-error.ts';
import type { ResourceRef } from '../../client/resource-ref.ts';
import type { Reconciler, Request } from '../../controller/reconciler.ts';
import type { ControllerContext, ControllerFactory } from '../controller-context.ts';
import { FOREGROUND, ObjectGraph, ORPHAN } from './object-graph.ts';

type OwnerState = 'solid' | 'waiting' | 'dangling' | 'unknown';

/**
 * Deletes objects whose owners are all gone (background), deletes an owner's blocking dependents
 * before letting it go (foreground: the `foregroundDeletion` finalizer), and strips owner
 * references before letting an owner go (orphan: the `orphan` finalizer) — upstream's garbage
 * collector, driven by the ObjectGraph's informers over every deletable resource.
 */
export class GarbageCollector implements Reconciler {
  constructor(
    private readonly ctx: ControllerContext,
    private readonly graph: ObjectGraph,
  ) {}

  async reconcile(req: Request): Promise<void> {
    const found = this.graph.resolve(req);
    const obj = found?.informer.get(found.key);
    if (!found || !obj) return;
    const finalizers = obj.metadata?.finalizers ?? [];
    if (obj.metadata?.deletionTimestamp && finalizers.includes(ORPHAN)) return this.orphanDependents(found.ref, obj);
    if (obj.metadata?.deletionTimestamp && finalizers.includes(FOREGROUND)) return this.deleteDependentsFirst(found.ref, obj);
    if (obj.metadata?.ownerReferences?.length) await this.checkOwners(found.ref, obj);
  }

  /** Orphan: every dependent loses its reference to the owner, then the owner may go. */
  private async orphanDependents(ref: ResourceRef, owner: ObjectLike): Promise<void> {
    const uid = owner.metadata?.uid ?? '';
    for (const d of this.graph.dependentsOf(uid)) {
      await this.setOwnerReferences(d.ref, d.object, (d.object.metadata?.ownerReferences ?? []).filter((o) => o.uid !== uid));
    }
    await this.removeFinalizer(ref, owner, ORPHAN);
  }

  /** Foreground: blocking dependents are deleted (foreground again if they own others); the owner goes when none is left. */
  private async deleteDependentsFirst(ref: ResourceRef, owner: ObjectLike): Promise<void> {
    const uid = owner.metadata?.uid ?? '';
    const blocking = this.graph.dependentsOf(uid).filter((d) => d.object.metadata?.ownerReferences?.some((o) => o.uid === uid && o.blockOwnerDeletion));
    for (const d of blocking) {
      if (d.object.metadata?.deletionTimestamp) continue;
      const hasDependents = this.graph.dependentsOf(d.object.metadata?.uid ?? '').length > 0;
      await this.deleteObject(d.ref, d.object, hasDependents ? 'Foreground' : 'Background');
    }
    if (blocking.length === 0) await this.removeFinalizer(ref, owner, FOREGROUND);
  }

  /** Background: an object none of whose owners exists any more is deleted; dangling references beside live owners are dropped. */
  private async checkOwners(ref: ResourceRef, obj: ObjectLike): Promise<void> {
    const refs = obj.metadata?.ownerReferences ?? [];
    const states = await Promise.all(refs.map((o) => this.ownerState(o, ref, obj)));
    // An owner kind discovery does not know yet (a CRD still being established): retry later.
    if (states.includes('unknown')) throw new Error(`unknown owner kind among ${refs.map((o) => `${o.apiVersion}/${o.kind}`).join(', ')}`);
    const solid = states.filter((s) => s === 'solid').length;
    if (solid > 0) {
      const keep = refs.filter((_, i) => states[i] === 'solid');
      if (keep.length !== refs.length) await this.setOwnerReferences(ref, obj, keep);
      return;
    }
    if (obj.metadata?.deletionTimestamp) return;
    const waiting = states.includes('waiting');
    const hasDependents = this.graph.dependentsOf(obj.metadata?.uid ?? '').length > 0;
    await this.deleteObject(ref, obj, waiting && hasDependents ? 'Foreground' : 'Background');
  }

  /**
   * Whether an owner exists (cache first; an absence is confirmed against the server, since the
   * owner's informer may lag its dependent's), and whether it waits for this dependent.
   */
  private async ownerState(owner: OwnerReference, dependentRef: ResourceRef, dependent: ObjectLike): Promise<OwnerState> {
    const ownerRef = this.graph.refForKind(owner.apiVersion, owner.kind);
    if (!ownerRef) return 'unknown';
    if (ownerRef.namespaced && !dependentRef.namespaced) return 'dangling';
    const namespace = ownerRef.namespaced ? dependent.metadata?.namespace : undefined;
    let current: ObjectLike | undefined = this.ctx.informers.for(ownerRef).get(namespace ? `${namespace}/${owner.name}` : owner.name);
    if (current?.metadata?.uid !== owner.uid) {
      current = await this.ctx.client.get<ObjectLike>(ownerRef, namespace, owner.name).catch((err: unknown) => {
        if (isNotFound(err)) return undefined;
        throw err;
      });
    }
    if (!current || current.metadata?.uid !== owner.uid) return 'dangling';
    const deletingDependents = current.metadata?.deletionTimestamp !== undefined && (current.metadata.finalizers ?? []).includes(FOREGROUND);
    return deletingDependents && owner.blockOwnerDeletion ? 'waiting' : 'solid';
  }

  private async deleteObject(ref: ResourceRef, obj: ObjectLike, propagationPolicy: 'Foreground' | 'Background'): Promise<void> {
    this.ctx.log('deleting object', { controller: 'garbagecollector', object: `${ref.resource}/${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`, propagationPolicy });
    await this.ctx.client.delete(ref, obj.metadata?.namespace, obj.metadata?.name ?? '', { propagationPolicy, preconditions: { uid: obj.metadata?.uid } }).catch(ignoreGoneOrChanged);
  }

  /** JSON patch guarded by the object's resourceVersion: a concurrent writer makes us retry. */
  private async setOwnerReferences(ref: ResourceRef, obj: ObjectLike, owners: OwnerReference[]): Promise<void> {
    const patch = [
      { op: 'test', path: '/metadata/uid', value: obj.metadata?.uid },
      owners.length ? { op: 'replace', path: '/metadata/ownerReferences', value: owners } : { op: 'remove', path: '/metadata/ownerReferences' },
    ];
    await this.ctx.client.patch(ref, obj.metadata?.namespace, obj.metadata?.name ?? '', 'json', patch).catch(ignoreGoneOrChanged);
  }

  private async removeFinalizer(ref: ResourceRef, obj: ObjectLike, finalizer: string): Promise<void> {
    const i = obj.metadata?.finalizers?.indexOf(finalizer) ?? -1;
    if (i < 0) return;
    const path = `/metadata/finalizers/${i}`;
    await this.ctx.client.patch(ref, obj.metadata?.namespace, obj.metadata?.name ?? '', 'json', [
      { op: 'test', path, value: finalizer },
      { op: 'remove', path },
    ]);
  }
}

function ignoreGoneOrChanged(err: unknown): void {
  // Gone already, or its uid precondition failed (a new object took the name): nothing to do.
  if (!isNotFound(err) && !isConflict(err)) throw err;
}

/** Factory registered as `garbagecollector`. */
export const createGarbageCollector: ControllerFactory = (ctx) => {
  const graph = new ObjectGraph(ctx);
  return { name: 'garbagecollector', reconciler: new GarbageCollector(ctx, graph), watches: [], sources: [graph], workers: 4 };
};

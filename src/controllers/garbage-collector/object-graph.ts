import type { ObjectLike } from '../../api/types.ts';
import type { Informer } from '../../client/informer.ts';
import { R, type ResourceRef } from '../../client/resource-ref.ts';
import type { Request, Source } from '../../controller/reconciler.ts';
import type { ControllerContext } from '../controller-context.ts';
import { discoverResources, isDeletable } from './resource-discovery.ts';

/** Finalizers the API server adds on DELETE with propagationPolicy Foreground / Orphan. */
export const FOREGROUND = 'foregroundDeletion';
export const ORPHAN = 'orphan';

/** A watched object: which resource it is and its request (the runtime's queue key). */
export interface GraphNode {
  ref: ResourceRef;
  object: ObjectLike;
  request: Request;
}

/** Resources the collector leaves alone, as upstream's does: Events are many and own nothing. */
const IGNORED = new Set(['/events', 'events.k8s.io/events']);

const refKey = (r: ResourceRef) => `${r.resource}.${r.version}.${r.group}`;

/**
 * The garbage collector's view of the cluster (upstream's GraphBuilder): an informer for every
 * resource that can be listed, watched and deleted — custom resources included, found again
 * whenever a CRD changes — and an index from owner uid to dependents. As a runtime Source it
 * enqueues objects whose owners or deletion state need attention.
 */
export class ObjectGraph implements Source {
  private readonly refs = new Map<string, ResourceRef>();
  private readonly byKind = new Map<string, ResourceRef>();
  private readonly dependents = new Map<string, Set<string>>();
  private readonly ownersOf = new Map<string, string[]>();
  private enqueue: (r: Request) => void = () => undefined;
  private discovering: Promise<void> = Promise.resolve();

  constructor(private readonly ctx: ControllerContext) {}

  async start(enqueue: (r: Request) => void, signal: AbortSignal): Promise<void> {
    this.enqueue = enqueue;
    const crds = this.ctx.informers.for(R.customresourcedefinitions);
    const rediscover = () => void this.discover(signal);
    crds.on({ add: rediscover, update: rediscover, delete: rediscover });
    await this.discover(signal);
  }

  /** The resource a request names, and the object's cache key within it. */
  resolve(req: Request): { ref: ResourceRef; key: string; informer: Informer } | undefined {
    const hash = req.name.indexOf('#');
    const ref = this.refs.get(req.name.slice(0, hash));
    if (hash < 0 || !ref) return undefined;
    const name = req.name.slice(hash + 1);
    return { ref, key: req.namespace ? `${req.namespace}/${name}` : name, informer: this.ctx.informers.for(ref) };
  }

  /** The resource serving objects of this apiVersion's group and kind. */
  refForKind(apiVersion: string, kind: string): ResourceRef | undefined {
    const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
    return this.byKind.get(`${group}/${kind}`);
  }

  /** Cached objects that name `uid` among their ownerReferences. */
  dependentsOf(uid: string): GraphNode[] {
    const out: GraphNode[] = [];
    for (const k of this.dependents.get(uid) ?? []) {
      const req = parseNodeKey(k);
      const found = this.resolve(req);
      const object = found?.informer.get(found.key);
      if (found && object) out.push({ ref: found.ref, object, request: req });
    }
    return out;
  }

  requestFor(ref: ResourceRef, obj: ObjectLike): Request {
    return { namespace: obj.metadata?.namespace, name: `${refKey(ref)}#${obj.metadata?.name ?? ''}` };
  }

  private discover(signal: AbortSignal): Promise<void> {
    this.discovering = this.discovering.then(async () => {
      if (signal.aborted) return;
      const found = await discoverResources(this.ctx.client, (path, err) => this.ctx.log('discovery failed', { controller: 'garbagecollector', path, err: String(err) }));
      const added: ResourceRef[] = [];
      for (const r of found.filter((x) => isDeletable(x) && !IGNORED.has(`${x.group}/${x.resource}`))) {
        const ref: ResourceRef = { group: r.group, version: r.version, resource: r.resource, kind: r.kind, namespaced: r.namespaced };
        this.byKind.set(`${r.group}/${r.kind}`, ref);
        if (this.refs.has(refKey(ref))) continue;
        this.refs.set(refKey(ref), ref);
        added.push(ref);
      }
      for (const ref of added) this.watch(ref);
      await Promise.all(added.map((ref) => this.ctx.informers.for(ref).waitForSync()));
    });
    return this.discovering;
  }

  private watch(ref: ResourceRef): void {
    const informer = this.ctx.informers.for(ref);
    informer.on({
      add: (obj) => this.observe(ref, obj, false),
      update: (_old, obj) => this.observe(ref, obj, false),
      delete: (obj) => this.observe(ref, obj, true),
    });
  }

  /** Keeps the owner index current and enqueues what the change may affect. */
  private observe(ref: ResourceRef, obj: ObjectLike, deleted: boolean): void {
    const req = this.requestFor(ref, obj);
    const key = nodeKey(req);
    const uid = obj.metadata?.uid ?? '';
    for (const owner of this.ownersOf.get(key) ?? []) this.dependents.get(owner)?.delete(key);
    const owners = deleted ? [] : (obj.metadata?.ownerReferences ?? []).map((o) => o.uid);
    if (owners.length) this.ownersOf.set(key, owners);
    else this.ownersOf.delete(key);
    for (const owner of owners) {
      let set = this.dependents.get(owner);
      if (!set) this.dependents.set(owner, (set = new Set()));
      set.add(key);
    }
    if (deleted) {
      // Its dependents may now be dangling; its owners may be waiting for it (foreground).
      for (const d of this.dependents.get(uid) ?? []) this.enqueue(parseNodeKey(d));
      if (this.dependents.get(uid)?.size === 0) this.dependents.delete(uid);
    }
    if (deleted || obj.metadata?.deletionTimestamp) {
      for (const o of obj.metadata?.ownerReferences ?? []) this.enqueueOwner(o.apiVersion, o.kind, o.name, obj.metadata?.namespace);
    }
    if (!deleted && (owners.length || obj.metadata?.finalizers?.some((f) => f === FOREGROUND || f === ORPHAN))) this.enqueue(req);
  }

  private enqueueOwner(apiVersion: string, kind: string, name: string, namespace: string | undefined): void {
    const ref = this.refForKind(apiVersion, kind);
    if (ref) this.enqueue({ namespace: ref.namespaced ? namespace : undefined, name: `${refKey(ref)}#${name}` });
  }
}

function nodeKey(r: Request): string {
  return `${r.namespace ?? ''}/${r.name}`;
}

function parseNodeKey(k: string): Request {
  const slash = k.indexOf('/');
  const namespace = k.slice(0, slash);
  return { namespace: namespace || undefined, name: k.slice(slash + 1) };
}

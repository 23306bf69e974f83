import { isDeepStrictEqual } from 'node:util';
import type { Namespace } from 'kubernetes-types/core/v1.js';
import type { ObjectLike } from '../../api/types.ts';
import { isConflict, isNotFound } from '../../client/api-error.ts';
import { R, type ResourceRef } from '../../client/resource-ref.ts';
import { selfRequest, type Reconciler, type Request, type Result } from '../../controller/reconciler.ts';
import type { ControllerContext, ControllerFactory } from '../controller-context.ts';
import { discoverResources } from '../garbage-collector/resource-discovery.ts';
import { mergeConditions, namespaceConditions, type CleanupReport } from './namespace-conditions.ts';

/** The finalizer (in `spec.finalizers`) this controller owns. */
export const KUBERNETES_FINALIZER = 'kubernetes';
/** How soon to look again while content remains (it is not watched, as upstream does not). */
const RECHECK_MS = 1000;

const rfc3339 = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
const groupResource = (r: ResourceRef) => (r.group ? `${r.resource}.${r.group}` : r.resource);

/**
 * Empties a terminating namespace (upstream's namespace controller): deletes every namespaced
 * object of every discovered resource, reports progress in the namespace's conditions, and once
 * nothing is left removes the `kubernetes` finalizer through `/finalize`, so the server deletes it.
 */
export class NamespaceReconciler implements Reconciler {
  constructor(private readonly ctx: ControllerContext) {}

  async reconcile(req: Request): Promise<Result | void> {
    const ns = this.ctx.informers.for<Namespace>(R.namespaces).get(req.name);
    if (!ns?.metadata?.deletionTimestamp || !(ns.spec?.finalizers ?? []).includes(KUBERNETES_FINALIZER)) return;
    const report = await this.cleanup(req.name);
    const done = report.discoveryFailures.length === 0 && report.deleteFailures.length === 0 && report.remaining.size === 0;
    await this.writeConditions(ns, report);
    if (!done) return { requeueAfterMs: RECHECK_MS };
    const finalizers = (ns.spec?.finalizers ?? []).filter((f) => f !== KUBERNETES_FINALIZER);
    // No resourceVersion: the conditions write just moved it, and finalize only sets spec.finalizers.
    const metadata = { ...structuredClone(ns.metadata), resourceVersion: undefined };
    await this.ctx.client.updateSubresource(R.namespaces, { ...structuredClone(ns), metadata, spec: { ...ns.spec, finalizers } }, 'finalize').catch((err: unknown) => {
      if (!isNotFound(err)) throw err;
    });
  }

  /** One pass: delete what is there, then count what is left (and which finalizers hold it). */
  private async cleanup(namespace: string): Promise<CleanupReport> {
    const report: CleanupReport = { discoveryFailures: [], deleteFailures: [], remaining: new Map(), finalizers: new Map() };
    const resources = await discoverResources(this.ctx.client, (path, err) => report.discoveryFailures.push(`${path}: ${String(err)}`));
    const deletable = resources.filter((r) => r.namespaced && r.verbs.includes('list') && r.verbs.includes('delete'));
    await Promise.all(deletable.map((r) => this.deleteAll(r, namespace, report)));
    return report;
  }

  private async deleteAll(r: ResourceRef, namespace: string, report: CleanupReport): Promise<void> {
    try {
      const items = (await this.ctx.client.listAll<ObjectLike>(r, { namespace })).items;
      await Promise.all(items.filter((o) => !o.metadata?.deletionTimestamp).map((o) => this.ctx.client.delete(r, namespace, o.metadata?.name ?? '', { propagationPolicy: 'Background' }).catch(ignoreGone)));
      const left = items.length ? (await this.ctx.client.listAll<ObjectLike>(r, { namespace })).items : [];
      if (left.length) report.remaining.set(groupResource(r), left.length);
      for (const o of left) for (const f of o.metadata?.finalizers ?? []) report.finalizers.set(f, (report.finalizers.get(f) ?? 0) + 1);
    } catch (err) {
      report.deleteFailures.push(`${groupResource(r)}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private async writeConditions(ns: Namespace, report: CleanupReport): Promise<void> {
    const conditions = mergeConditions(ns.status?.conditions, namespaceConditions(report, rfc3339(this.ctx.clock.now())));
    if (isDeepStrictEqual(conditions, ns.status?.conditions)) return;
    await this.ctx.client.updateStatus(R.namespaces, { ...structuredClone(ns), status: { ...ns.status, conditions } }).catch((err: unknown) => {
      // Conditions are progress reports: a concurrent write (the finalize itself) is no reason to fail.
      if (!isNotFound(err) && !isConflict(err)) throw err;
    });
  }
}

function ignoreGone(err: unknown): void {
  if (!isNotFound(err) && !isConflict(err)) throw err;
}

/** Factory registered as `namespace`. */
export const createNamespaceController: ControllerFactory = (ctx) => ({
  name: 'namespace',
  reconciler: new NamespaceReconciler(ctx),
  watches: [{ informer: ctx.informers.for(R.namespaces), toRequests: selfRequest }],
});

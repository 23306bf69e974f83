import { isDeepStrictEqual } from 'node:util';
import type { ResourceQuota } from 'kubernetes-types/core/v1.js';
import { usageOf } from '../../api/quota/quota-evaluation.ts';
import { usageToList, type QuotaResource, type Usage } from '../../api/quota/resource-usage.ts';
import type { KubeObject } from '../../api/types.ts';
import { isConflict, isNotFound } from '../../client/api-error.ts';
import { R } from '../../client/resource-ref.ts';
import type { Reconciler, Request, Result, Watch } from '../../controller/reconciler.ts';
import { selfRequest } from '../../controller/reconciler.ts';
import type { ControllerContext, ControllerFactory } from '../controller-context.ts';
import { INFORMED, ResourceResolver, resourceOfName } from './quota-resources.ts';

/** Full recount period (upstream's resource-quota-sync-period). */
const RESYNC_MS = 5 * 60_000;
/** Recount period for quotas that count resources the controller does not watch. */
const UNWATCHED_RESYNC_MS = 10_000;

/**
 * Keeps each ResourceQuota's `status.hard` equal to `spec.hard` and `status.used` equal to what the
 * objects of its namespace (those its scopes select) consume, recounted whenever one changes.
 */
export class ResourceQuotaReconciler implements Reconciler {
  private readonly resolver: ResourceResolver;

  constructor(private readonly ctx: ControllerContext) {
    this.resolver = new ResourceResolver(ctx.client);
  }

  async reconcile(req: Request): Promise<Result | void> {
    const cached = this.ctx.informers.for<ResourceQuota & KubeObject>(R.resourcequotas).get(`${req.namespace ?? ''}/${req.name}`);
    if (!cached) return;
    const quota = structuredClone(cached);
    const hard = quota.spec?.hard ?? {};
    const byResource = groupNames(Object.keys(hard));
    const used: Usage = new Map();
    let unwatched = false;
    for (const [key, names] of byResource) {
      const res = JSON.parse(key) as QuotaResource;
      const objects = await this.objectsOf(res, req.namespace ?? '');
      if (!objects.informed) unwatched = true;
      for (const [n, q] of usageOf(quota, res, objects.items, names, this.ctx.clock.now())) used.set(n, q);
    }
    const status = { ...(quota.status ?? {}), hard, used: usageToList(used) };
    if (!isDeepStrictEqual(quota.status?.hard ?? {}, status.hard) || !isDeepStrictEqual(quota.status?.used ?? {}, status.used)) {
      try {
        await this.ctx.client.updateStatus(R.resourcequotas, { ...quota, status });
      } catch (err) {
        if (isNotFound(err)) return;
        // Admission charged the quota meanwhile: recount from the fresh object.
        if (isConflict(err)) return { requeueAfterMs: 0 };
        throw err;
      }
    }
    return { requeueAfterMs: unwatched ? UNWATCHED_RESYNC_MS : RESYNC_MS };
  }

  private async objectsOf(res: QuotaResource, namespace: string): Promise<{ items: KubeObject[]; informed: boolean }> {
    const informed = INFORMED.find((r) => r.group === res.group && r.resource === res.resource);
    if (informed) return { items: this.ctx.informers.for<KubeObject>(informed).byNamespace(namespace), informed: true };
    const ref = await this.resolver.resolve(res);
    if (!ref) return { items: [], informed: false };
    return { items: (await this.ctx.client.listAll(ref, { namespace })).items, informed: false };
  }
}

/** Hard names grouped by the resource that consumes them (key: JSON of the QuotaResource). */
function groupNames(names: string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const name of names) {
    const res = resourceOfName(name);
    if (!res) continue;
    const key = JSON.stringify(res);
    out.set(key, [...(out.get(key) ?? []), name]);
  }
  return out;
}

/** The resource quota controller: recounts a namespace's quotas when objects there change. */
export const createResourceQuotaController: ControllerFactory = (ctx) => {
  const quotas = ctx.informers.for<ResourceQuota & KubeObject>(R.resourcequotas);
  const quotasOf = (obj: KubeObject): Request[] => quotas.byNamespace(obj.metadata?.namespace ?? '').map((q) => selfRequest(q)[0] as Request);
  const watches: Watch[] = [{ informer: quotas, toRequests: selfRequest }];
  for (const r of INFORMED) {
    if (r === R.resourcequotas) continue;
    watches.push({ informer: ctx.informers.for<KubeObject>(r), toRequests: quotasOf });
  }
  return { name: 'resourcequota', reconciler: new ResourceQuotaReconciler(ctx), watches, workers: 2 };
};

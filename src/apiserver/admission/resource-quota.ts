import type { Pod, ResourceQuota } from 'kubernetes-types/core/v1.js';
import type { ResourceDefinition } from '../../api/resource-definition.ts';
import type { KubeObject } from '../../api/types.ts';
import { applicableNames, exceededNames, missingContainerResources, prettyPrint, usageOf } from '../../api/quota/quota-evaluation.ts';
import { quotaSelects } from '../../api/quota/quota-scopes.ts';
import { listToUsage, objectUsage, subtractUsage, usageToList, type QuotaResource, type Usage } from '../../api/quota/resource-usage.ts';
import type { ApiContext } from '../api-context.ts';
import type { WriteOptions } from '../handlers/write-options.ts';
import { forbidden, isStatusError, qualifiedResource } from '../status-error.ts';

const MAX_CHARGE_ATTEMPTS = 5;

interface Charge {
  quota: ResourceQuota;
  names: string[];
  storeUsed: Usage;
}

/**
 * Upstream ResourceQuota admission: a create (or a Service/PVC update) that would take any quota of
 * its namespace past `spec.hard` is refused with 403, and pods must state cpu/memory when a quota
 * limits them. Usage is recomputed from the store under a per-namespace lock and, once admitted,
 * charged to the quota's `status.used` so concurrent creates that are not stored yet still count.
 */
export async function admitResourceQuota(ctx: ApiContext, r: ResourceDefinition, obj: KubeObject, old: KubeObject | undefined, opts: WriteOptions): Promise<void> {
  if (!r.namespaced || r.virtual) return;
  // Pods are immutable in what they consume; only Services and claims change usage on update.
  if (old && !(r.group === '' && (r.plural === 'services' || r.plural === 'persistentvolumeclaims'))) return;
  const quotaDef = ctx.catalog().find('', 'v1', 'resourcequotas');
  if (!quotaDef) return;
  const namespace = obj.metadata?.namespace ?? '';
  // The cheap first look comes from memory; the decision itself re-reads the store under the lock.
  const cached = ctx.cache?.('', 'resourcequotas');
  const quotas = (cached ? cached.list(namespace) : (await ctx.objects.list(quotaDef, { namespace })).items) as ResourceQuota[];
  if (quotas.length === 0) return;
  const res: QuotaResource = { group: r.group, resource: r.plural };
  const matching = quotas.filter((q) => quotaSelects(q, res, obj));
  if (!old && r.group === '' && r.plural === 'pods') checkContainerConstraints(r, obj, matching);
  const now = ctx.now();
  const requested = subtractUsage(objectUsage(res, obj, now), old ? objectUsage(res, old, now) : new Map());
  const constrains = (q: ResourceQuota) => requestedNames(q, res, requested).length > 0;
  if (!matching.some(constrains)) return;
  await ctx.serialize(`resource-quota/${namespace}`, async () => {
    const fresh = ((await ctx.objects.list(quotaDef, { namespace })).items as ResourceQuota[]).filter((q) => quotaSelects(q, res, obj) && constrains(q));
    const objects = (await ctx.objects.list(r, { namespace })).items;
    const charges = fresh.map((quota) => {
      const names = requestedNames(quota, res, requested);
      return { quota, names, storeUsed: usageOf(quota, res, objects, names, now) };
    });
    for (const c of charges) checkCharge(r, obj, c, requested);
    if (opts.dryRun) return;
    for (const c of charges) await chargeQuota(ctx, quotaDef, c, requested);
  });
}

function requestedNames(q: ResourceQuota, res: QuotaResource, requested: Usage): string[] {
  return applicableNames(listToUsage(q.spec?.hard), res).filter((n) => (requested.get(n)?.nanos ?? 0n) > 0n);
}

function refuse(r: ResourceDefinition, obj: KubeObject, message: string): never {
  const name = obj.metadata?.name ?? '';
  throw forbidden(`${qualifiedResource(r.group, r.plural)} "${name}" is forbidden: ${message}`, { name, group: r.group, kind: r.plural });
}

function checkContainerConstraints(r: ResourceDefinition, pod: KubeObject, quotas: ResourceQuota[]): void {
  for (const q of quotas) {
    const missing = missingContainerResources(pod as Pod, Object.keys(q.spec?.hard ?? {}));
    if (missing) refuse(r, pod, `failed quota: ${q.metadata?.name ?? ''}: ${missing}`);
  }
}

/** What the quota already holds: the larger of the store's count and what admission has charged. */
function usedOf(c: Charge, status: ResourceQuota['status']): Usage {
  const charged = listToUsage(status?.used);
  const used: Usage = new Map();
  for (const name of c.names) {
    const fromStore = c.storeUsed.get(name);
    const fromStatus = charged.get(name);
    used.set(name, fromStatus && fromStore && fromStatus.nanos > fromStore.nanos ? fromStatus : (fromStore ?? fromStatus ?? { nanos: 0n, format: 'DecimalSI' }));
  }
  return used;
}

function checkCharge(r: ResourceDefinition, obj: KubeObject, c: Charge, requested: Usage): void {
  const hard = listToUsage(c.quota.spec?.hard);
  const used = usedOf(c, c.quota.status);
  const asked: Usage = new Map(c.names.map((n) => [n, requested.get(n) as NonNullable<ReturnType<Usage['get']>>]));
  const exceeded = exceededNames(hard, used, asked);
  if (exceeded.length === 0) return;
  refuse(r, obj, `exceeded quota: ${c.quota.metadata?.name ?? ''}, requested: ${prettyPrint(asked, exceeded)}, used: ${prettyPrint(used, exceeded)}, limited: ${prettyPrint(hard, exceeded)}`);
}

/** Adds the admitted request to `status.used` (compare-and-swap; re-read on conflict). */
async function chargeQuota(ctx: ApiContext, quotaDef: ResourceDefinition, c: Charge, requested: Usage): Promise<void> {
  let quota = c.quota;
  for (let attempt = 0; attempt < MAX_CHARGE_ATTEMPTS; attempt++) {
    const used = usedOf(c, quota.status);
    const next = listToUsage(quota.status?.used);
    for (const name of c.names) {
      const u = used.get(name);
      const add = requested.get(name);
      if (u && add) next.set(name, { nanos: u.nanos + add.nanos, format: u.nanos === 0n ? add.format : u.format });
    }
    const status = { ...(quota.status ?? {}), hard: quota.status?.hard ?? quota.spec?.hard, used: usageToList(next) };
    try {
      await ctx.objects.update(quotaDef, { ...(quota as KubeObject), status });
      return;
    } catch (err) {
      if (!(isStatusError(err) && err.reason === 'Conflict')) throw err;
      const current = await ctx.objects.tryGet(quotaDef, quota.metadata?.namespace, quota.metadata?.name ?? '');
      if (!current) return;
      quota = current as ResourceQuota;
    }
  }
}

import type { ResourceDefinition } from '../../api/resource-definition.ts';
import type { KubeObject } from '../../api/types.ts';
import type { ApiContext } from '../api-context.ts';
import { isImmortalNamespace } from '../admission/namespace-lifecycle.ts';
import { rfc3339 } from '../lifecycle/metadata.ts';
import { badRequest, conflict, forbidden, isStatusError } from '../status-error.ts';

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun: boolean;
}

/** Reads a DeleteOptions body (kubectl omits kind/apiVersion) merged with the query parameters. */
export function parseDeleteOptions(body: unknown, query: URLSearchParams): DeleteOptions {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const grace = query.get('gracePeriodSeconds') ?? b.gracePeriodSeconds;
  let policy = (query.get('propagationPolicy') ?? b.propagationPolicy) as string | undefined;
  if (policy === undefined && (query.get('orphanDependents') ?? b.orphanDependents) !== undefined) {
    policy = String(query.get('orphanDependents') ?? b.orphanDependents) === 'true' ? 'Orphan' : 'Background';
  }
  if (policy !== undefined && policy !== 'Orphan' && policy !== 'Background' && policy !== 'Foreground') {
    throw badRequest(`DeleteOptions.propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan"`);
  }
  const dryRun = [...query.getAll('dryRun'), ...((b.dryRun as string[] | undefined) ?? [])];
  return {
    gracePeriodSeconds: grace === undefined || grace === null ? undefined : Number(grace),
    propagationPolicy: policy as DeleteOptions['propagationPolicy'],
    preconditions: b.preconditions as DeleteOptions['preconditions'],
    dryRun: dryRun.includes('All'),
  };
}

function graceSeconds(r: ResourceDefinition, obj: KubeObject, opts: DeleteOptions): number {
  if (r.group !== '' || r.kind !== 'Pod') return 0;
  const spec = (obj.spec ?? {}) as { nodeName?: string; terminationGracePeriodSeconds?: number };
  // Pods never bound to a node have no kubelet to stop them: delete at once, as upstream does.
  if (!spec.nodeName) return 0;
  const phase = (obj.status as { phase?: string } | undefined)?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return 0;
  return opts.gracePeriodSeconds ?? spec.terminationGracePeriodSeconds ?? 30;
}

function finalizersFor(r: ResourceDefinition, opts: DeleteOptions): string[] {
  if (opts.propagationPolicy === 'Orphan') return ['orphan'];
  if (opts.propagationPolicy === 'Foreground') return ['foregroundDeletion'];
  return [];
}

/**
 * DELETE: graceful deletion and finalizers mark the object (deletionTimestamp) and leave it for
 * its finalizers or kubelet; otherwise it is removed. Resolves to the object's last state.
 */
export async function deleteObject(ctx: ApiContext, r: ResourceDefinition, namespace: string | undefined, name: string, opts: DeleteOptions): Promise<{ object: KubeObject; pending: boolean }> {
  if (r.group === '' && r.kind === 'Namespace' && isImmortalNamespace(name)) {
    throw forbidden(`namespaces "${name}" is forbidden: this namespace may not be deleted`, { name, kind: 'namespaces' });
  }
  for (let attempt = 0; ; attempt++) {
    const current = await ctx.objects.get(r, namespace, name);
    const pre = opts.preconditions ?? {};
    if (pre.uid && pre.uid !== current.metadata?.uid) {
      throw conflict(r.group, r.plural, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${current.metadata?.uid ?? ''}`);
    }
    if (pre.resourceVersion && pre.resourceVersion !== current.metadata?.resourceVersion) {
      throw conflict(r.group, r.plural, name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${current.metadata?.resourceVersion ?? ''}`);
    }
    try {
      return await deleteOnce(ctx, r, current, opts);
    } catch (err) {
      if (!(isStatusError(err) && err.reason === 'Conflict' && attempt < 5)) throw err;
    }
  }
}

async function deleteOnce(ctx: ApiContext, r: ResourceDefinition, current: KubeObject, opts: DeleteOptions): Promise<{ object: KubeObject; pending: boolean }> {
  const meta = current.metadata ?? {};
  const grace = graceSeconds(r, current, opts);
  const extra = finalizersFor(r, opts).filter((f) => !(meta.finalizers ?? []).includes(f));
  const isNamespace = r.group === '' && r.kind === 'Namespace';
  const nsFinalizers = isNamespace ? ((current.spec as { finalizers?: string[] } | undefined)?.finalizers ?? []) : [];
  const finalizers = [...(meta.finalizers ?? []), ...extra];
  if (meta.deletionTimestamp && grace === 0 && finalizers.length === 0 && nsFinalizers.length === 0) {
    return removeNow(ctx, r, current, opts);
  }
  if (meta.deletionTimestamp && extra.length === 0) return { object: current, pending: true };
  if (grace === 0 && finalizers.length === 0 && nsFinalizers.length === 0) return removeNow(ctx, r, current, opts);
  const now = ctx.now();
  const marked: KubeObject = structuredClone(current);
  const m = (marked.metadata ??= {});
  m.finalizers = finalizers.length ? finalizers : undefined;
  if (!m.finalizers) delete m.finalizers;
  m.deletionTimestamp ??= rfc3339(new Date(now.getTime() + grace * 1000));
  m.deletionGracePeriodSeconds = grace;
  if (isNamespace) marked.status = { ...((marked.status as object | undefined) ?? {}), phase: 'Terminating' };
  if (opts.dryRun) return { object: marked, pending: true };
  const updated = await ctx.objects.update(r, marked);
  ctx.afterWrite(r, updated, false);
  return { object: updated, pending: true };
}

async function removeNow(ctx: ApiContext, r: ResourceDefinition, current: KubeObject, opts: DeleteOptions): Promise<{ object: KubeObject; pending: boolean }> {
  if (opts.dryRun) return { object: current, pending: false };
  const deleted = await ctx.objects.delete(r, current);
  ctx.afterWrite(r, deleted, true);
  return { object: deleted, pending: false };
}

import type { ResourceDefinition } from '../../api/resource-definition.ts';
import type { KubeObject } from '../../api/types.ts';
import type { ApiContext } from '../api-context.ts';
import type { ServiceAccountTokens } from '../auth/service-account-tokens.ts';
import { decodeObjectBody, readBody } from '../http/body.ts';
import { sendJson } from '../http/respond.ts';
import { rfc3339 } from '../lifecycle/metadata.ts';
import type { KubeletClient } from '../kubelet/kubelet-client.ts';
import { badRequest, conflict, invalid, methodNotAllowed } from '../status-error.ts';
import { servePodLog } from './pod-streams.ts';
import { serveProxy } from './proxy/proxy-handler.ts';
import { deleteObject } from './object-deletes.ts';
import { modifyObject } from './object-writes.ts';
import type { RequestScope } from './request-scope.ts';

const SYSTEM_WRITE = { dryRun: false, fieldManager: 'kube-apiserver', fieldValidation: 'Ignore' as const, force: false, warnings: [] as string[] };

function pods(ctx: ApiContext): ResourceDefinition {
  return ctx.catalog().find('', 'v1', 'pods') as ResourceDefinition;
}

/** Binds a pod to a node (the scheduler's write); a pod already bound is a 409, as upstream. */
export async function bindPod(ctx: ApiContext, namespace: string, name: string, binding: KubeObject): Promise<void> {
  const target = binding.target as { kind?: string; name?: string } | undefined;
  if (!target?.name) throw invalid('', 'Binding', name, [{ field: 'target.name', type: 'FieldValueRequired' }]);
  await modifyObject(
    ctx,
    pods(ctx),
    namespace,
    name,
    (pod) => {
      const spec = (pod.spec ??= {}) as Record<string, unknown>;
      if (pod.metadata?.deletionTimestamp) throw conflict('', 'pods', name, 'pod is being deleted, cannot be assigned to a host');
      if (spec.nodeName) throw conflict('', 'pods', name, `pod ${name} is already assigned to node "${String(spec.nodeName)}"`);
      spec.nodeName = target.name;
      const status = (pod.status ??= {}) as { conditions?: Array<Record<string, unknown>> };
      const conditions = (status.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
      status.conditions = [...conditions, { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: rfc3339(ctx.now()) }];
      return pod;
    },
    { ...SYSTEM_WRITE, subresource: undefined },
  );
}

async function upgradeRequired(): Promise<void> {
  throw badRequest('Upgrade request required');
}

async function readJson(s: RequestScope, decodeProtobuf: (b: Buffer) => unknown): Promise<KubeObject> {
  return decodeObjectBody(await readBody(s.req), s.req.headers['content-type'], decodeProtobuf) as KubeObject;
}

/** Subresources with their own semantics: pods/binding, pods/eviction, serviceaccounts/token, namespaces/finalize, pod streams and the proxies. */
export function subresourceHandlers(d: { ctx: ApiContext; saTokens: ServiceAccountTokens; kubelet: KubeletClient; decodeProtobuf: (b: Buffer) => unknown }): Record<string, (s: RequestScope) => Promise<void>> {
  return {
    '/pods/binding': async (s) => {
      if (s.req.method !== 'POST') throw methodNotAllowed('only POST is allowed on pods/binding');
      await bindPod(d.ctx, s.namespace ?? '', s.name ?? '', await readJson(s, d.decodeProtobuf));
      sendJson(s.res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
    },
    '/pods/eviction': async (s) => {
      if (s.req.method !== 'POST') throw methodNotAllowed('only POST is allowed on pods/eviction');
      const eviction = await readJson(s, d.decodeProtobuf);
      const opts = (eviction.deleteOptions ?? {}) as { gracePeriodSeconds?: number; preconditions?: { uid?: string; resourceVersion?: string } };
      await d.ctx.evictionCheck?.(s.namespace ?? '', s.name ?? '');
      await deleteObject(d.ctx, pods(d.ctx), s.namespace, s.name ?? '', { gracePeriodSeconds: opts.gracePeriodSeconds, preconditions: opts.preconditions, dryRun: s.query.getAll('dryRun').includes('All') });
      sendJson(s.res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
    },
    '/serviceaccounts/token': async (s) => {
      if (s.req.method !== 'POST') throw methodNotAllowed('only POST is allowed on serviceaccounts/token');
      const sa = await d.ctx.objects.get(s.r, s.namespace, s.name ?? '');
      const request = await readJson(s, d.decodeProtobuf);
      const spec = (request.spec ?? {}) as { audiences?: string[]; expirationSeconds?: number; boundObjectRef?: { kind?: string; name?: string; uid?: string } };
      const expirationSeconds = spec.expirationSeconds ?? 3600;
      if (expirationSeconds < 600) throw invalid('authentication.k8s.io', 'TokenRequest', s.name ?? '', [{ field: 'spec.expirationSeconds', type: 'FieldValueInvalid', value: expirationSeconds, detail: 'may not specify a duration less than 10 minutes' }]);
      const issued = await d.saTokens.issue({ namespace: s.namespace ?? '', name: s.name ?? '', uid: sa.metadata?.uid ?? '', audiences: spec.audiences ?? [], expirationSeconds });
      sendJson(s.res, 201, {
        kind: 'TokenRequest',
        apiVersion: 'authentication.k8s.io/v1',
        metadata: { name: s.name, namespace: s.namespace, creationTimestamp: null },
        spec: { audiences: spec.audiences ?? ['https://kubernetes.default.svc.cluster.local'], expirationSeconds, boundObjectRef: spec.boundObjectRef ?? null },
        status: issued,
      });
    },
    '/namespaces/finalize': async (s) => {
      if (s.req.method !== 'PUT') throw methodNotAllowed('only PUT is allowed on namespaces/finalize');
      const body = await readJson(s, d.decodeProtobuf);
      const finalizers = ((body.spec ?? {}) as { finalizers?: string[] }).finalizers ?? [];
      const updated = await modifyObject(
        d.ctx,
        s.r,
        undefined,
        s.name ?? '',
        (ns) => ({ ...ns, spec: { ...((ns.spec as object | undefined) ?? {}), finalizers } }),
        { ...SYSTEM_WRITE, subresource: 'finalize' },
      );
      if (updated.metadata?.deletionTimestamp && finalizers.length === 0 && (updated.metadata.finalizers ?? []).length === 0) {
        await d.ctx.objects.delete(s.r, updated).catch(() => undefined);
      }
      sendJson(s.res, 200, updated);
    },
    '/pods/log': (s) => servePodLog({ ctx: d.ctx, kubelet: d.kubelet }, s),
    // exec/attach/portforward arrive as upgrades (see createUpgradeHandler); a plain request cannot stream.
    '/pods/exec': upgradeRequired,
    '/pods/attach': upgradeRequired,
    '/pods/portforward': upgradeRequired,
    '/nodes/proxy': (s) => serveProxy({ ctx: d.ctx, kubelet: d.kubelet }, s),
    '/pods/proxy': (s) => serveProxy({ ctx: d.ctx, kubelet: d.kubelet }, s),
    '/services/proxy': (s) => serveProxy({ ctx: d.ctx, kubelet: d.kubelet }, s),
  };
}

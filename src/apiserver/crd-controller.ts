import type { CustomResourceDefinition } from 'kubernetes-types/apiextensions/v1.js';
import type { ResourceDefinition } from '../api/resource-definition.ts';
import type { KubeObject } from '../api/types.ts';
import type { ApiContext } from './api-context.ts';
import { deleteObject } from './handlers/object-deletes.ts';
import { modifyObject } from './handlers/object-writes.ts';
import { rfc3339 } from './lifecycle/metadata.ts';
import { crdResources } from './registry/crd-resources.ts';
import { isStatusError } from './status-error.ts';

export const CRD_CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';

const OPTS = { dryRun: false, fieldManager: 'minato-apiextensions', fieldValidation: 'Ignore' as const, force: false, warnings: [] };

function crdResource(ctx: ApiContext): ResourceDefinition {
  return ctx.catalog().find('apiextensions.k8s.io', 'v1', 'customresourcedefinitions') as ResourceDefinition;
}

/**
 * The in-server part of apiextensions: accepts names and marks new CRDs Established, and on CRD
 * deletion removes every custom resource before releasing the cleanup finalizer. Level-based: it
 * looks at all CRDs each time it runs.
 */
export async function establishCrds(ctx: ApiContext): Promise<void> {
  const r = crdResource(ctx);
  const crds = (await ctx.objects.list(r, {})).items as unknown as CustomResourceDefinition[];
  for (const crd of crds) {
    const name = crd.metadata?.name ?? '';
    try {
      if (crd.metadata?.deletionTimestamp) await cleanUp(ctx, r, crd);
      else if (needsStatus(crd)) await modifyObject(ctx, r, undefined, name, (cur) => withEstablished(cur, rfc3339(ctx.now())), { ...OPTS, subresource: 'status' });
    } catch (err) {
      if (!(isStatusError(err) && (err.code === 404 || err.code === 409))) throw err;
    }
  }
}

function needsStatus(crd: CustomResourceDefinition): boolean {
  const established = (crd.status?.conditions ?? []).some((c) => c.type === 'Established' && c.status === 'True');
  const storage = crd.spec.versions.find((v) => v.storage)?.name;
  return !established || JSON.stringify(crd.status?.acceptedNames) !== JSON.stringify(fullNames(crd)) || !(crd.status?.storedVersions ?? []).includes(storage ?? '');
}

function fullNames(crd: CustomResourceDefinition): Record<string, unknown> {
  const n = crd.spec.names;
  return { ...n, singular: n.singular ?? n.kind.toLowerCase(), listKind: n.listKind ?? `${n.kind}List` };
}

function withEstablished(obj: KubeObject, now: string): KubeObject {
  const crd = obj as unknown as CustomResourceDefinition;
  const storage = crd.spec.versions.find((v) => v.storage)?.name;
  const stored = new Set([...(crd.status?.storedVersions ?? []), ...(storage ? [storage] : [])]);
  const condition = (type: string, reason: string, message: string) => ({ type, status: 'True', lastTransitionTime: now, reason, message });
  const status = {
    acceptedNames: fullNames(crd),
    conditions: [condition('NamesAccepted', 'NoConflicts', 'no conflicts found'), condition('Established', 'InitialNamesAccepted', 'the initial names have been accepted')],
    storedVersions: [...stored],
  };
  return { ...obj, status };
}

async function cleanUp(ctx: ApiContext, r: ResourceDefinition, crd: CustomResourceDefinition): Promise<void> {
  const [first] = crdResources(crd);
  if (first) {
    const items = (await ctx.objects.list(first, {})).items;
    for (const item of items) {
      const meta = item.metadata ?? {};
      try {
        if ((meta.finalizers ?? []).length) {
          await modifyObject(ctx, first, meta.namespace, meta.name ?? '', (cur) => ({ ...cur, metadata: { ...cur.metadata, finalizers: [] } }), OPTS);
        }
        await deleteObject(ctx, first, meta.namespace, meta.name ?? '', { dryRun: false });
      } catch (err) {
        if (!(isStatusError(err) && err.code === 404)) throw err;
      }
    }
  }
  await modifyObject(ctx, r, undefined, crd.metadata?.name ?? '', (cur) => ({ ...cur, metadata: { ...cur.metadata, finalizers: (cur.metadata?.finalizers ?? []).filter((f) => f !== CRD_CLEANUP_FINALIZER) } }), OPTS);
}

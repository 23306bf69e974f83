import { applyConfiguration, conflictMessage } from '../../api/patch/server-side-apply.ts';
import { apiVersionOf, type KubeObject } from '../../api/types.ts';
import { rfc3339 } from '../lifecycle/metadata.ts';
import { storageResourceOf } from '../registry/versions.ts';
import { badRequest, StatusError } from '../status-error.ts';
import { createObject, modifyObject } from './object-writes.ts';
import type { RequestScope } from './request-scope.ts';
import type { ResourceHandlerDeps } from './resource-handler.ts';
import type { WriteOptions } from './write-options.ts';

/**
 * PATCH with `application/apply-patch+yaml`: server-side apply. Creates the object when it is
 * missing; conflicts with other managers are a 409 unless `force=true`.
 */
export async function serveApply(d: ResourceHandlerDeps, s: RequestScope, doc: unknown, opts: WriteOptions & { subresource?: string }, send: (code: number, obj: KubeObject) => void): Promise<void> {
  const config = doc as KubeObject;
  if (!opts.fieldManager || opts.fieldManager === 'unknown' || !new URLSearchParams(s.query).get('fieldManager')) {
    throw badRequest('PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
  }
  if (!config.apiVersion || !config.kind) throw badRequest(`invalid object type: /, Kind=`);
  if (config.metadata?.name && config.metadata.name !== s.name) {
    throw badRequest(`the name of the object (${config.metadata.name}) does not match the name on the URL (${s.name ?? ''})`);
  }
  const schemas = d.ctx.schemas();
  // The configuration is converted to the storage version, so it is merged with that version's schema.
  const stored = storageResourceOf(d.ctx.catalog(), s.r);
  const schema = stored.schemaName ? schemas.definition(stored.schemaName) : undefined;
  const run = (live: KubeObject | undefined): KubeObject => {
    if (!schema) throw badRequest(`server-side apply is not supported for ${s.r.plural}`);
    const result = applyConfiguration({
      live,
      config: d.toStorage(s, { ...config, metadata: { ...config.metadata, name: s.name, ...(s.namespace ? { namespace: s.namespace } : {}) } }),
      manager: opts.fieldManager,
      force: opts.force,
      apiVersion: apiVersionOf(stored),
      schema,
      schemas,
      now: rfc3339(d.ctx.now()),
      subresource: opts.subresource,
    });
    if ('conflicts' in result) {
      throw new StatusError(409, 'Conflict', conflictMessage(result.conflicts), {
        causes: result.conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with "${c.manager}"${c.apiVersion ? ` using ${c.apiVersion}` : ''}`, field: c.field })),
      });
    }
    return result.object;
  };
  const tracked = { ...opts, fieldsTracked: true };
  const existing = await d.ctx.objects.tryGet(s.r, s.namespace, s.name as string);
  if (!existing) {
    if (opts.subresource) throw new StatusError(404, 'NotFound', `${s.r.plural} "${s.name ?? ''}" not found`);
    const created = await createObject(d.ctx, stored, s.namespace, run(undefined), tracked);
    return send(201, created);
  }
  const updated = await modifyObject(d.ctx, stored, s.namespace, s.name as string, (current) => run(current), tracked);
  send(200, updated);
}

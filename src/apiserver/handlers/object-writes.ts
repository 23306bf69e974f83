import { isDeepStrictEqual } from 'node:util';
import { recordUpdate } from '../../api/patch/managed-fields.ts';
import type { ResourceDefinition } from '../../api/resource-definition.ts';
import { apiVersionOf, type KubeObject } from '../../api/types.ts';
import type { ApiContext } from '../api-context.ts';
import { admitCreate, admitUpdate } from '../admission/admission-chain.ts';
import { bumpGenerationIfSpecChanged, generateNameSuffix, initCreateMetadata, keepServerMetadata, rfc3339 } from '../lifecycle/metadata.ts';
import { keepsStatusOnCreate, strategyFor } from '../lifecycle/kind-strategies.ts';
import { applyDefaults, checkBodyAgainstSchema, validateObject } from '../object-rules.ts';
import { badRequest, conflict, isStatusError, StatusError } from '../status-error.ts';
import type { WriteOptions } from './write-options.ts';

const MAX_CONFLICT_RETRIES = 5;

/** Fills or checks apiVersion/kind/namespace of a body against the URL it was sent to. */
export function checkIdentity(r: ResourceDefinition, obj: KubeObject, namespace: string | undefined, name?: string): void {
  const apiVersion = apiVersionOf(r);
  if (obj.apiVersion && obj.apiVersion !== apiVersion) {
    throw badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${apiVersion})`);
  }
  if (obj.kind && obj.kind !== r.kind) throw badRequest(`the kind in the data (${obj.kind}) does not match the expected kind (${r.kind})`);
  obj.apiVersion = apiVersion;
  obj.kind = r.kind;
  const meta = (obj.metadata ??= {});
  if (r.namespaced) {
    if (meta.namespace && namespace && meta.namespace !== namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    meta.namespace = namespace ?? meta.namespace;
  } else delete meta.namespace;
  if (name !== undefined) {
    if (meta.name && meta.name !== name) throw badRequest(`the name of the object (${meta.name}) does not match the name on the URL (${name})`);
    meta.name = name;
  }
}

function trackFields(ctx: ApiContext, r: ResourceDefinition, old: KubeObject | undefined, updated: KubeObject, opts: WriteOptions, subresource?: string): KubeObject {
  if (!r.schemaName || opts.fieldsTracked) return updated;
  const schemas = ctx.schemas();
  const schema = schemas.definition(r.schemaName);
  if (!schema) return updated;
  return recordUpdate({ old, updated, manager: opts.fieldManager, apiVersion: apiVersionOf(r), schema, schemas, now: rfc3339(ctx.now()), subresource });
}

/** POST: the full create pipeline (identity, schema checks, strategy, defaults, admission, validation, store). */
export async function createObject(ctx: ApiContext, r: ResourceDefinition, namespace: string | undefined, body: KubeObject, opts: WriteOptions): Promise<KubeObject> {
  checkIdentity(r, body, namespace);
  checkBodyAgainstSchema(ctx, r, body, opts);
  if (body.metadata?.resourceVersion) {
    throw new StatusError(500, 'InternalError', 'resourceVersion should not be set on objects to be created');
  }
  if (!body.metadata?.name && !body.metadata?.generateName) {
    throw badRequest('resource name may not be empty');
  }
  const now = ctx.now();
  const generatedName = !body.metadata?.name;
  initCreateMetadata(body, now);
  if (r.hasStatusSubresource && !keepsStatusOnCreate(r.group, r.kind)) delete body.status;
  strategyFor(r.group, r.kind).prepareForCreate?.(body, rfc3339(now));
  applyDefaults(r, body);
  validateObject(ctx, r, body);
  await admitCreate(ctx, r, body, opts);
  const tracked = trackFields(ctx, r, undefined, body, opts);
  if (opts.dryRun) return tracked;
  const created = await storeNew(ctx, r, tracked, generatedName);
  ctx.afterWrite(r, created, false);
  return created;
}

const GENERATE_NAME_ATTEMPTS = 8;

/** Stores a new object; a generated name that collides is generated again (upstream RetryGenerateName). */
async function storeNew(ctx: ApiContext, r: ResourceDefinition, obj: KubeObject, generated: boolean): Promise<KubeObject> {
  const generateName = obj.metadata?.generateName;
  for (let attempt = 1; ; attempt++) {
    try {
      return await ctx.objects.create(r, obj);
    } catch (err) {
      const retry = generated && generateName && isStatusError(err) && err.reason === 'AlreadyExists' && attempt < GENERATE_NAME_ATTEMPTS;
      if (!retry) throw err;
      obj.metadata = { ...obj.metadata, name: `${generateName.slice(0, 58)}${generateNameSuffix()}` };
    }
  }
}

export interface ModifyOptions extends WriteOptions {
  subresource?: string;
  /** When set, the write fails with 409 unless the stored object is at this resourceVersion. */
  precondition?: string;
}

/**
 * Read-modify-write with compare-and-swap, retried on conflicts the client did not ask to see
 * (upstream GuaranteedUpdate). `mutate` gets a private copy of the current object.
 */
export async function modifyObject(
  ctx: ApiContext,
  r: ResourceDefinition,
  namespace: string | undefined,
  name: string,
  mutate: (current: KubeObject) => KubeObject | Promise<KubeObject>,
  opts: ModifyOptions,
): Promise<KubeObject> {
  for (let attempt = 0; ; attempt++) {
    const current = await ctx.objects.get(r, namespace, name);
    if (opts.precondition && opts.precondition !== current.metadata?.resourceVersion) throw conflict(r.group, r.plural, name);
    try {
      return await writeUpdate(ctx, r, current, await mutate(structuredClone(current)), opts);
    } catch (err) {
      const retry = isStatusError(err) && err.reason === 'Conflict' && !opts.precondition && attempt < MAX_CONFLICT_RETRIES && !err.message.includes('Apply failed');
      if (!retry) throw err;
    }
  }
}

async function writeUpdate(ctx: ApiContext, r: ResourceDefinition, current: KubeObject, next: KubeObject, opts: ModifyOptions): Promise<KubeObject> {
  checkIdentity(r, next, current.metadata?.namespace, current.metadata?.name ?? '');
  if (opts.subresource === 'status') {
    // /status writes change status only.
    next = { ...current, status: next.status, metadata: { ...current.metadata } };
  } else {
    checkBodyAgainstSchema(ctx, r, next, opts);
    if (r.hasStatusSubresource) {
      if (current.status === undefined) delete next.status;
      else next.status = current.status;
    }
    if (!opts.subresource) strategyFor(r.group, r.kind).prepareForUpdate?.(next, current);
  }
  keepServerMetadata(next, current);
  next.metadata = { ...next.metadata, resourceVersion: current.metadata?.resourceVersion };
  applyDefaults(r, next);
  bumpGenerationIfSpecChanged(next, current);
  validateObject(ctx, r, next, current);
  await admitUpdate(ctx, r, next, current, opts);
  if (isDeepStrictEqual(next, current)) return current;
  const tracked = trackFields(ctx, r, current, next, opts, opts.subresource);
  if (opts.dryRun) return tracked;
  // A terminating Namespace also waits for its spec.finalizers (removed only through /finalize).
  const specFinalizers = r.group === '' && r.kind === 'Namespace' ? ((tracked.spec as { finalizers?: string[] } | undefined)?.finalizers ?? []) : [];
  if (tracked.metadata?.deletionTimestamp && (tracked.metadata.finalizers ?? []).length === 0 && specFinalizers.length === 0) {
    const deleted = await ctx.objects.delete(r, tracked);
    ctx.afterWrite(r, deleted, true);
    return deleted;
  }
  const updated = await ctx.objects.update(r, tracked);
  ctx.afterWrite(r, updated, false);
  return updated;
}

import type { ResourceDefinition, TablePrinter } from '../../api/resource-definition.ts';
import type { KubeObject } from '../../api/types.ts';
import type { ApiContext } from '../api-context.ts';
import { decodeObjectBody, readBody } from '../http/body.ts';
import { formatWarning, sendJson, TABLE_CONTENT_TYPE } from '../http/respond.ts';
import { storageResourceOf } from '../registry/versions.ts';
import { badRequest, methodNotAllowed, notFound, StatusError } from '../status-error.ts';
import { serveApply } from './apply-handler.ts';
import { deleteObject, parseDeleteOptions } from './object-deletes.ts';
import { checkIdentity, createObject, modifyObject } from './object-writes.ts';
import { parseListOptions, selects } from './list-options.ts';
import { applyPatch, parsePatch, patchTypeOf } from './patch-body.ts';
import type { RequestScope } from './request-scope.ts';
import { applyScale, toScale } from './scale.ts';
import { parseIncludeObject, renderTable } from './table.ts';
import { serveWatch } from './watch-handler.ts';
import { parseWriteOptions } from './write-options.ts';

export interface ResourceHandlerDeps {
  ctx: ApiContext;
  decodeProtobuf: (body: Buffer) => unknown;
  /** Converts a stored object into the version the request addressed. */
  present: (s: RequestScope, obj: KubeObject) => KubeObject;
  /** Converts a body in the request's version into the storage version. */
  toStorage: (s: RequestScope, obj: KubeObject) => KubeObject;
  printer: (r: ResourceDefinition) => TablePrinter;
  bookmarkIntervalMs: number;
  /** Handlers for subresources served elsewhere (binding, eviction, token, log, exec…). */
  subresources: Record<string, (s: RequestScope) => Promise<void>>;
}

function reply(s: RequestScope, code: number, body: unknown, contentType?: string): void {
  const headers: Record<string, string[]> = s.warnings.length ? { Warning: s.warnings.map(formatWarning) } : {};
  sendJson(s.res, code, body, contentType, headers);
}

/** Sends one object, as a one-row Table when the client asked for Tables. */
function replyObject(d: ResourceHandlerDeps, s: RequestScope, code: number, obj: KubeObject): void {
  const shown = d.present(s, obj);
  if (s.negotiated.table && !s.subresource) {
    const table = renderTable({ printer: d.printer(s.r), objects: [shown], include: parseIncludeObject(s.query), now: d.ctx.now() });
    reply(s, code, table, TABLE_CONTENT_TYPE);
  } else reply(s, code, shown);
}

async function readObject(d: ResourceHandlerDeps, s: RequestScope): Promise<KubeObject> {
  const body = await readBody(s.req);
  return decodeObjectBody(body, s.req.headers['content-type'], d.decodeProtobuf) as KubeObject;
}

/** Dispatches a request on a resource or one of its subresources by HTTP method. */
export async function handleResource(d: ResourceHandlerDeps, s: RequestScope): Promise<void> {
  const method = s.req.method ?? 'GET';
  if (s.subresource) return handleSubresource(d, s, method);
  if (!s.name) {
    if (method === 'GET') return s.query.get('watch') === 'true' || s.query.get('watch') === '1' ? watch(d, s) : list(d, s);
    if (method === 'POST') return create(d, s);
    if (method === 'DELETE') return deleteCollection(d, s);
    throw methodNotAllowed(`the server does not allow this method on the requested resource`);
  }
  if (method === 'GET') return replyObject(d, s, 200, await d.ctx.objects.get(s.r, s.namespace, s.name));
  if (method === 'PUT') return update(d, s);
  if (method === 'PATCH') return patch(d, s);
  if (method === 'DELETE') return remove(d, s);
  throw methodNotAllowed('the server does not allow this method on the requested resource');
}

async function list(d: ResourceHandlerDeps, s: RequestScope): Promise<void> {
  const opts = parseListOptions(s.r, s.query);
  const exact = opts.resourceVersion && opts.resourceVersion !== '0' && (opts.resourceVersionMatch === 'Exact' || (!opts.resourceVersionMatch && opts.limit));
  const current = await d.ctx.objects.currentRevision();
  if (opts.resourceVersion && Number(opts.resourceVersion) > current) {
    throw new StatusError(504, 'Timeout', `Too large resource version: ${opts.resourceVersion}, current: ${current}`, { causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }], retryAfterSeconds: 1 });
  }
  const byName = opts.fields.exact('metadata.name');
  const result = await d.ctx.objects.list(s.r, {
    namespace: s.namespace,
    limit: opts.limit,
    continue: opts.continue,
    revision: exact ? Number(opts.resourceVersion) : undefined,
    filter: (o) => (byName === undefined || o.metadata?.name === byName) && selects(s.r, opts, o),
  });
  const items = result.items.map((o) => d.present(s, o));
  const listMeta = { resourceVersion: result.resourceVersion, ...(result.continue ? { continue: result.continue } : {}) };
  if (s.negotiated.table) {
    return reply(s, 200, renderTable({ printer: d.printer(s.r), objects: items, include: parseIncludeObject(s.query), now: d.ctx.now(), listMeta }), TABLE_CONTENT_TYPE);
  }
  const apiVersion = s.r.group === '' ? s.r.version : `${s.r.group}/${s.r.version}`;
  reply(s, 200, { kind: s.r.listKind, apiVersion, metadata: listMeta, items });
}

async function watch(d: ResourceHandlerDeps, s: RequestScope): Promise<void> {
  const opts = parseListOptions(s.r, s.query);
  const table = s.negotiated.table ? { printer: d.printer(s.r), include: parseIncludeObject(s.query) } : undefined;
  await serveWatch(d.ctx, s.res, { r: s.r, namespace: s.namespace, opts, table, present: (o) => d.present(s, o), bookmarkIntervalMs: d.bookmarkIntervalMs }, s.signal);
}

async function create(d: ResourceHandlerDeps, s: RequestScope): Promise<void> {
  if (s.r.virtual) throw methodNotAllowed('virtual resources are served by their own handler');
  const opts = { ...parseWriteOptions(s.query, s.req.headers['user-agent']), warnings: s.warnings };
  const raw = await readObject(d, s);
  checkIdentity(s.r, raw, s.namespace);
  const created = await createObject(d.ctx, storageResourceOf(d.ctx.catalog(), s.r), s.namespace, d.toStorage(s, raw), opts);
  replyObject(d, s, 201, created);
}

async function update(d: ResourceHandlerDeps, s: RequestScope): Promise<void> {
  const opts = { ...parseWriteOptions(s.query, s.req.headers['user-agent']), warnings: s.warnings };
  const raw = await readObject(d, s);
  checkIdentity(s.r, raw, s.namespace, s.name);
  const body = d.toStorage(s, raw);
  const precondition = body.metadata?.resourceVersion || undefined;
  const existing = await d.ctx.objects.tryGet(s.r, s.namespace, s.name as string);
  if (!existing) {
    // PUT to a missing object creates it for kinds that allow create-on-update (upstream: most do not).
    throw notFound(s.r.group, s.r.plural, s.name as string);
  }
  const updated = await modifyObject(d.ctx, storageResourceOf(d.ctx.catalog(), s.r), s.namespace, s.name as string, () => ({ ...body, metadata: { ...body.metadata, resourceVersion: undefined } }), { ...opts, precondition });
  replyObject(d, s, 200, updated);
}

async function patch(d: ResourceHandlerDeps, s: RequestScope): Promise<void> {
  const opts = { ...parseWriteOptions(s.query, s.req.headers['user-agent']), warnings: s.warnings };
  const type = patchTypeOf(s.req.headers['content-type'], s.r);
  const doc = parsePatch(type, await readBody(s.req));
  if (type === 'apply') return serveApply(d, s, doc, opts, (code, obj) => replyObject(d, s, code, obj));
  if (!opts.fieldManager || opts.fieldManager === 'unknown') opts.fieldManager = 'unknown';
  const updated = await modifyObject(
    d.ctx,
    storageResourceOf(d.ctx.catalog(), s.r),
    s.namespace,
    s.name as string,
    (current) => {
      const shown = d.present(s, current);
      const patched = applyPatch(type, shown, doc, s.r, d.ctx.schemas());
      return d.toStorage(s, patched);
    },
    { ...opts, precondition: patchPrecondition(type, doc) },
  );
  replyObject(d, s, 200, updated);
}

/** A patch that names metadata.resourceVersion must apply only at that version (no silent retry). */
function patchPrecondition(type: string, doc: unknown): string | undefined {
  if (type === 'json') {
    const op = (doc as Array<{ op?: string; path?: string; value?: unknown }>).find((o) => o.path === '/metadata/resourceVersion' && (o.op === 'replace' || o.op === 'test'));
    return op && typeof op.value === 'string' ? op.value : undefined;
  }
  const rv = ((doc as KubeObject).metadata as { resourceVersion?: unknown } | undefined)?.resourceVersion;
  return typeof rv === 'string' && rv !== '' ? rv : undefined;
}

async function remove(d: ResourceHandlerDeps, s: RequestScope): Promise<void> {
  const body = await readBody(s.req);
  const opts = parseDeleteOptions(body.length ? JSON.parse(body.toString('utf8')) : undefined, s.query);
  const { object, pending } = await deleteObject(d.ctx, s.r, s.namespace, s.name as string, opts);
  replyObject(d, s, pending ? 202 : 200, object);
}

async function deleteCollection(d: ResourceHandlerDeps, s: RequestScope): Promise<void> {
  if (!s.r.verbs.includes('deletecollection')) throw methodNotAllowed('the server does not allow this method on the requested resource');
  const opts = parseListOptions(s.r, s.query);
  const body = await readBody(s.req);
  const delOpts = parseDeleteOptions(body.length ? JSON.parse(body.toString('utf8')) : undefined, s.query);
  const listed = await d.ctx.objects.list(s.r, { namespace: s.namespace, filter: (o) => selects(s.r, opts, o) });
  const items: KubeObject[] = [];
  for (const o of listed.items) {
    try {
      items.push((await deleteObject(d.ctx, s.r, o.metadata?.namespace, o.metadata?.name ?? '', delOpts)).object);
    } catch (err) {
      if (!(err instanceof StatusError && err.code === 404)) throw err;
    }
  }
  const apiVersion = s.r.group === '' ? s.r.version : `${s.r.group}/${s.r.version}`;
  reply(s, 200, { kind: s.r.listKind, apiVersion, metadata: { resourceVersion: listed.resourceVersion }, items: items.map((o) => d.present(s, o)) });
}

async function handleSubresource(d: ResourceHandlerDeps, s: RequestScope, method: string): Promise<void> {
  const sub = s.subresource as string;
  const declared = (s.r.subresources ?? []).find((x) => x.name === sub);
  if (!declared || !s.name) throw notFound(s.r.group, `${s.r.plural}/${sub}`, s.name ?? '');
  const custom = d.subresources[`${s.r.group}/${s.r.plural}/${sub}`] ?? d.subresources[`*/${sub}`];
  if (custom) return custom(s);
  if (sub === 'status') return statusSubresource(d, s, method);
  if (sub === 'scale') return scaleSubresource(d, s, method);
  throw notFound(s.r.group, `${s.r.plural}/${sub}`, s.name);
}

async function statusSubresource(d: ResourceHandlerDeps, s: RequestScope, method: string): Promise<void> {
  if (method === 'GET') return replyObject(d, s, 200, await d.ctx.objects.get(s.r, s.namespace, s.name as string));
  const opts = { ...parseWriteOptions(s.query, s.req.headers['user-agent']), warnings: s.warnings, subresource: 'status' };
  if (method === 'PUT') {
    const body = d.toStorage(s, await readObject(d, s));
    const updated = await modifyObject(d.ctx, storageResourceOf(d.ctx.catalog(), s.r), s.namespace, s.name as string, (cur) => ({ ...cur, status: body.status }), { ...opts, precondition: body.metadata?.resourceVersion || undefined });
    return replyObject(d, s, 200, updated);
  }
  if (method === 'PATCH') {
    const type = patchTypeOf(s.req.headers['content-type'], s.r);
    const doc = parsePatch(type, await readBody(s.req));
    if (type === 'apply') return serveApply(d, s, doc, opts, (code, obj) => replyObject(d, s, code, obj));
    const updated = await modifyObject(d.ctx, storageResourceOf(d.ctx.catalog(), s.r), s.namespace, s.name as string, (cur) => d.toStorage(s, applyPatch(type, d.present(s, cur), doc, s.r, d.ctx.schemas())), { ...opts, precondition: patchPrecondition(type, doc) });
    return replyObject(d, s, 200, updated);
  }
  throw methodNotAllowed('the server does not allow this method on the requested resource');
}

async function scaleSubresource(d: ResourceHandlerDeps, s: RequestScope, method: string): Promise<void> {
  const paths = d.ctx.scalePaths?.(s.r);
  const asScale = (o: KubeObject) => toScale(o, paths);
  if (method === 'GET') return reply(s, 200, asScale(await d.ctx.objects.get(s.r, s.namespace, s.name as string)));
  const opts = { ...parseWriteOptions(s.query, s.req.headers['user-agent']), warnings: s.warnings };
  let precondition: string | undefined;
  let next: (scale: KubeObject) => KubeObject;
  if (method === 'PUT') {
    const body = await readObject(d, s);
    precondition = body.metadata?.resourceVersion || undefined;
    next = () => body;
  } else if (method === 'PATCH') {
    const type = patchTypeOf(s.req.headers['content-type'], s.r);
    if (type === 'apply' || type === 'strategic') {
      if (type === 'apply') throw badRequest('apply is not supported on the scale subresource');
    }
    const doc = parsePatch(type, await readBody(s.req));
    next = (scale) => applyPatch(type === 'strategic' ? 'merge' : (type as 'json' | 'merge'), scale, doc, s.r, d.ctx.schemas());
  } else throw methodNotAllowed('the server does not allow this method on the requested resource');
  const updated = await modifyObject(d.ctx, s.r, s.namespace, s.name as string, (cur) => applyScale(cur, next(asScale(cur)), paths?.spec), { ...opts, precondition });
  reply(s, 200, asScale(updated));
}

import type { ServerResponse } from 'node:http';
import type { ResourceDefinition, TablePrinter } from '../../api/resource-definition.ts';
import { apiVersionOf, type KubeObject } from '../../api/types.ts';
import type { WatchEvent } from '../../storage/types.ts';
import type { ApiContext } from '../api-context.ts';
import { TABLE_CONTENT_TYPE } from '../http/respond.ts';
import { decodeStored } from '../registry/object-store.ts';
import { isStatusError } from '../status-error.ts';
import { selects, type ListOptions } from './list-options.ts';
import { renderTable, type IncludeObject } from './table.ts';

export interface WatchRequest {
  r: ResourceDefinition;
  namespace?: string;
  opts: ListOptions;
  table?: { printer: TablePrinter; include: IncludeObject };
  /** Converts a stored object to the served version. */
  present: (obj: KubeObject) => KubeObject;
  bookmarkIntervalMs: number;
}

type EventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

/**
 * Streams newline-delimited watch events over a chunked 200 until the client leaves, the timeout
 * passes, or the server shuts down (signal). Selector changes turn into ADDED/DELETED as upstream.
 */
export async function serveWatch(ctx: ApiContext, res: ServerResponse, w: WatchRequest, signal: AbortSignal): Promise<void> {
  const abort = new AbortController();
  const onParentAbort = () => abort.abort();
  signal.addEventListener('abort', onParentAbort, { once: true });
  res.on('close', () => abort.abort());
  let sentColumns = false;
  let lastRevision = 0;
  const send = (type: EventType, object: KubeObject | Record<string, unknown>) => {
    let payload: unknown = object;
    if (w.table && (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED')) {
      payload = renderTable({ printer: w.table.printer, objects: [object as KubeObject], include: w.table.include, now: ctx.now(), withColumns: !sentColumns });
      sentColumns = true;
    }
    res.write(`${JSON.stringify({ type, object: payload })}\n`);
    ctx.watchEventSent?.(w.r);
  };

  res.writeHead(200, { 'Content-Type': w.table ? TABLE_CONTENT_TYPE : 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders();

  let after: number;
  const rv = w.opts.resourceVersion;
  const initial = rv === undefined || rv === '0' || w.opts.sendInitialEvents === true;
  if (initial) {
    const listed = await ctx.objects.list(w.r, { namespace: w.namespace, filter: (o) => selects(w.r, w.opts, o) });
    after = Number(listed.resourceVersion);
    for (const o of listed.items) send('ADDED', w.present(o));
    if (w.opts.sendInitialEvents) sendBookmark(send, w, after, true);
  } else after = Number(rv);
  lastRevision = after;

  const onEvents = (events: WatchEvent[]) => {
    for (const e of events) {
      lastRevision = e.kv.modRevision;
      const mapped = mapEvent(w, e);
      if (mapped) send(mapped.type, w.present(mapped.object));
    }
  };
  try {
    await ctx.objects.watch(w.r, w.namespace, after, abort.signal, onEvents, (err) => {
      send('ERROR', { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: err.message, reason: 'InternalError', code: 500 });
      abort.abort();
    });
  } catch (err) {
    if (isStatusError(err)) send('ERROR', err.toStatus());
    res.end();
    return;
  }
  const timeoutMs = w.opts.timeoutSeconds !== undefined ? w.opts.timeoutSeconds * 1000 : (1800 + Math.random() * 1800) * 1000;
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  const bookmarks = w.opts.allowWatchBookmarks ? setInterval(() => sendBookmark(send, w, lastRevision, false), w.bookmarkIntervalMs) : undefined;
  await new Promise<void>((resolve) => {
    if (abort.signal.aborted) resolve();
    else abort.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  clearTimeout(timer);
  if (bookmarks) clearInterval(bookmarks);
  signal.removeEventListener('abort', onParentAbort);
  if (!res.writableEnded) res.end();
}

function sendBookmark(send: (type: EventType, o: Record<string, unknown>) => void, w: WatchRequest, rev: number, initialEnd: boolean): void {
  const metadata: Record<string, unknown> = { resourceVersion: String(rev) };
  if (initialEnd) metadata.annotations = { 'k8s.io/initial-events-end': 'true' };
  send('BOOKMARK', { kind: w.r.kind, apiVersion: apiVersionOf(w.r), metadata });
}

function mapEvent(w: WatchRequest, e: WatchEvent): { type: EventType; object: KubeObject } | undefined {
  const obj = decodeStored(e.kv);
  const matches = selects(w.r, w.opts, obj);
  if (e.type === 'delete') return matches ? { type: 'DELETED', object: obj } : undefined;
  const prev = e.prevKv ? decodeStored(e.prevKv) : undefined;
  const prevMatched = e.type === 'update' && prev !== undefined && selects(w.r, w.opts, prev);
  if (matches) return { type: prevMatched || e.type === 'update' && prev === undefined ? 'MODIFIED' : 'ADDED', object: obj };
  if (prevMatched) return { type: 'DELETED', object: obj };
  return undefined;
}

import { request, type Agent } from 'node:https';
import type { KubeObject, ObjectLike } from '../api/types.ts';
import { ApiError } from './api-error.ts';
import { agentFor, type Connection } from './connection.ts';
import { apiVersionOfRef, resourcePath, type ResourceRef } from './resource-ref.ts';

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
}

export interface ObjectList<T> {
  items: T[];
  metadata: { resourceVersion?: string; continue?: string };
}

export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
}

export type PatchType = 'merge' | 'json' | 'strategic' | 'apply';

const PATCH_CONTENT_TYPES: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

export interface DeleteOptions {
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
}

export interface WatchEvent<T> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: T;
}

export interface WatchOptions extends ListOptions {
  allowWatchBookmarks?: boolean;
  timeoutSeconds?: number;
}

/**
 * The typed REST client every Minato component uses to reach a cluster: controllers, scheduler,
 * agents and the director go through it, never through the store. JSON over HTTPS with keep-alive.
 */
export class KubeClient {
  private readonly agent: Agent;
  private readonly url: URL;

  constructor(
    private readonly conn: Connection,
    private readonly userAgent = 'minato',
    maxSockets = 64,
  ) {
    this.agent = agentFor(conn, maxSockets);
    this.url = new URL(conn.server);
  }

  get<T = KubeObject>(r: ResourceRef, namespace: string | undefined, name: string): Promise<T> {
    return this.send<T>('GET', resourcePath(r, namespace, name));
  }

  list<T = KubeObject>(r: ResourceRef, opts: ListOptions = {}): Promise<ObjectList<T>> {
    return this.send<ObjectList<T>>('GET', resourcePath(r, opts.namespace) + query(listQuery(opts)));
  }

  /** Lists every page (following `continue`). */
  async listAll<T = KubeObject>(r: ResourceRef, opts: ListOptions = {}): Promise<ObjectList<T>> {
    const items: T[] = [];
    let cont: string | undefined;
    let rv: string | undefined;
    do {
      const page = await this.list<T>(r, { ...opts, continue: cont, limit: opts.limit ?? 500 });
      items.push(...page.items);
      cont = page.metadata.continue;
      rv ??= page.metadata.resourceVersion;
    } while (cont);
    return { items, metadata: { resourceVersion: rv } };
  }

  create<T = KubeObject>(r: ResourceRef, obj: KubeObject | ObjectLike, opts: WriteOptions & { namespace?: string } = {}): Promise<T> {
    const body = { apiVersion: apiVersionOfRef(r), kind: r.kind, ...obj };
    return this.send<T>('POST', resourcePath(r, opts.namespace ?? obj.metadata?.namespace) + query(writeQuery(opts)), body);
  }

  update<T = KubeObject>(r: ResourceRef, obj: KubeObject | ObjectLike, opts: WriteOptions = {}): Promise<T> {
    const body = { apiVersion: apiVersionOfRef(r), kind: r.kind, ...obj };
    return this.send<T>('PUT', resourcePath(r, obj.metadata?.namespace, obj.metadata?.name ?? '') + query(writeQuery(opts)), body);
  }

  updateStatus<T = KubeObject>(r: ResourceRef, obj: KubeObject | ObjectLike, opts: WriteOptions = {}): Promise<T> {
    const body = { apiVersion: apiVersionOfRef(r), kind: r.kind, ...obj };
    return this.send<T>('PUT', resourcePath(r, obj.metadata?.namespace, obj.metadata?.name ?? '', 'status') + query(writeQuery(opts)), body);
  }

  /** PUTs the object to one of its subresources (`namespaces/finalize`, `deployments/scale`). */
  updateSubresource<T = KubeObject>(r: ResourceRef, obj: KubeObject | ObjectLike, subresource: string): Promise<T> {
    const body = { apiVersion: apiVersionOfRef(r), kind: r.kind, ...obj };
    return this.send<T>('PUT', resourcePath(r, obj.metadata?.namespace, obj.metadata?.name ?? '', subresource), body);
  }

  patch<T = KubeObject>(r: ResourceRef, namespace: string | undefined, name: string, type: PatchType, patch: unknown, opts: WriteOptions & { subresource?: string; force?: boolean } = {}): Promise<T> {
    const q = { ...writeQuery(opts), ...(opts.force ? { force: 'true' } : {}) };
    return this.send<T>('PATCH', resourcePath(r, namespace, name, opts.subresource) + query(q), patch, PATCH_CONTENT_TYPES[type]);
  }

  async delete(r: ResourceRef, namespace: string | undefined, name: string, opts: DeleteOptions = {}): Promise<void> {
    await this.send('DELETE', resourcePath(r, namespace, name), opts);
  }

  /** POSTs to a subresource (pods/binding, pods/eviction, serviceaccounts/token). */
  createSubresource<T = KubeObject>(r: ResourceRef, namespace: string | undefined, name: string, subresource: string, body: unknown): Promise<T> {
    return this.send<T>('POST', resourcePath(r, namespace, name, subresource), body);
  }

  /** Raw GET of any path (metrics.k8s.io, discovery). */
  getPath<T>(path: string): Promise<T> {
    return this.send<T>('GET', path);
  }

  /**
   * Streams watch events until the server ends the stream or `signal` aborts; resolves then.
   * A 410 is delivered as an ERROR event, as the server sends it.
   */
  watch<T = KubeObject>(r: ResourceRef, opts: WatchOptions, onEvent: (e: WatchEvent<T>) => void, signal: AbortSignal): Promise<void> {
    const q = { ...listQuery(opts), watch: 'true', ...(opts.allowWatchBookmarks ? { allowWatchBookmarks: 'true' } : {}), ...(opts.timeoutSeconds !== undefined ? { timeoutSeconds: String(opts.timeoutSeconds) } : {}) };
    return new Promise((resolve, reject) => {
      if (signal.aborted) return resolve();
      const req = request({ ...this.base('GET', resourcePath(r, opts.namespace) + query(q)), signal }, (res) => {
        if ((res.statusCode ?? 0) >= 300) {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => reject(toApiError(res.statusCode ?? 0, text)));
          return;
        }
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let nl: number;
          while ((nl = buffer.indexOf('\n')) >= 0) {
            const line = buffer.slice(0, nl);
            buffer = buffer.slice(nl + 1);
            if (line.trim()) onEvent(JSON.parse(line) as WatchEvent<T>);
          }
        });
        res.on('end', () => resolve());
        res.on('error', () => resolve());
        res.on('aborted', () => resolve());
      });
      req.on('error', (err) => (signal.aborted ? resolve() : reject(err)));
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }

  private base(method: string, path: string, contentType?: string, length?: number) {
    const headers: Record<string, string | number> = { Accept: 'application/json', 'User-Agent': this.userAgent };
    if (this.conn.token) headers.Authorization = `Bearer ${this.conn.token}`;
    if (contentType) headers['Content-Type'] = contentType;
    if (length !== undefined) headers['Content-Length'] = length;
    return { host: this.url.hostname, port: Number(this.url.port || 443), method, path, agent: this.agent, headers };
  }

  private send<T>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<T> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise<T>((resolve, reject) => {
      const req = request(this.base(method, path, payload === undefined ? undefined : contentType, payload === undefined ? undefined : Buffer.byteLength(payload)), (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const code = res.statusCode ?? 0;
          if (code >= 200 && code < 300) resolve((text ? JSON.parse(text) : undefined) as T);
          else reject(toApiError(code, text));
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(payload);
    });
  }
}

function toApiError(code: number, text: string): ApiError {
  try {
    const status = JSON.parse(text) as { reason?: string; message?: string };
    return new ApiError(code, status.reason ?? '', status.message ?? text, status as Record<string, unknown>);
  } catch {
    return new ApiError(code, '', text || `HTTP ${code}`);
  }
}

function listQuery(o: ListOptions): Record<string, string> {
  const q: Record<string, string> = {};
  if (o.labelSelector) q.labelSelector = o.labelSelector;
  if (o.fieldSelector) q.fieldSelector = o.fieldSelector;
  if (o.limit) q.limit = String(o.limit);
  if (o.continue) q.continue = o.continue;
  if (o.resourceVersion !== undefined) q.resourceVersion = o.resourceVersion;
  return q;
}

function writeQuery(o: WriteOptions): Record<string, string> {
  const q: Record<string, string> = {};
  if (o.dryRun) q.dryRun = 'All';
  if (o.fieldManager) q.fieldManager = o.fieldManager;
  return q;
}

function query(q: Record<string, string>): string {
  const s = new URLSearchParams(q).toString();
  return s ? `?${s}` : '';
}

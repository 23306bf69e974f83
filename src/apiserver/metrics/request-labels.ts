/**
 * How a request is labelled in `apiserver_request_total` and its siblings, following
 * kube-apiserver's endpoints/metrics package: the reported verb (GET vs LIST vs WATCH, APPLY for
 * server-side apply, CONNECT for exec/attach/portforward), the scope (resource, namespace,
 * cluster) and whether the request is long-running (watches and streams, which upstream keeps
 * out of the in-flight gauge and, for WATCH and CONNECT, out of the latency histogram).
 */
import { parseRequestPath } from '../http/request-info.ts';

/** Labels shared by the request counter, the latency histogram and the long-running gauge. */
export interface RequestLabels {
  verb: string;
  dry_run: string;
  group: string;
  version: string;
  resource: string;
  subresource: string;
  scope: string;
  component: string;
}

/** What the labels of one request are derived from. */
export interface RequestFacts {
  method: string;
  url: string;
  contentType?: string;
  /** An HTTP upgrade (WebSocket/SPDY) rather than a plain request. */
  upgrade?: boolean;
  /** Whether the catalog serves this group/version/resource: unknown ones are not labelled by name. */
  known(group: string, version: string, resource: string): boolean;
}

/** A request classified for metrics. */
export interface ClassifiedRequest {
  labels: RequestLabels;
  /** Watches and streams: tracked in `apiserver_longrunning_requests`, not in the in-flight gauge. */
  longRunning: boolean;
  /** `readOnly` or `mutating`, the `request_kind` of `apiserver_current_inflight_requests`. */
  requestKind: 'readOnly' | 'mutating';
}

/** Subresources upstream treats as long-running (streams), besides watches. */
const LONG_RUNNING_SUBRESOURCES = new Set(['attach', 'exec', 'proxy', 'log', 'portforward']);
const CONNECT_SUBRESOURCES = new Set(['attach', 'exec', 'portforward', 'proxy']);
const VALID_VERBS = new Set(['APPLY', 'CONNECT', 'DELETE', 'GET', 'LIST', 'PATCH', 'POST', 'PUT', 'WATCH']);
/** Non-resource paths reported by their first segment (bounded cardinality, as upstream's registered paths). */
const NON_RESOURCE_ROOTS = new Set(['api', 'apis', 'healthz', 'livez', 'readyz', 'version', 'metrics', 'openapi', 'swagger.json']);
const APPLY_PATCH = 'application/apply-patch+yaml';

function isWatch(query: URLSearchParams): boolean {
  const w = query.get('watch');
  return w === 'true' || w === '1';
}

function scopeOf(name: string | undefined, namespace: string | undefined, method: string): string {
  if (name || method === 'POST') return 'resource';
  if (namespace) return 'namespace';
  return 'cluster';
}

function reportedVerb(method: string, scope: string, subresource: string, query: URLSearchParams, facts: RequestFacts): string {
  if (facts.upgrade || CONNECT_SUBRESOURCES.has(subresource)) return 'CONNECT';
  let verb = method === 'HEAD' ? 'GET' : method;
  if (verb === 'GET' && isWatch(query)) verb = 'WATCH';
  else if (verb === 'GET' && scope !== 'resource') verb = 'LIST';
  if (verb === 'PATCH' && (facts.contentType ?? '').split(';')[0]?.trim() === APPLY_PATCH) verb = 'APPLY';
  return VALID_VERBS.has(verb) ? verb : 'other';
}

function dryRunOf(query: URLSearchParams): string {
  return query.getAll('dryRun').filter((v) => v === 'All').sort().join(',');
}

/** Labels one request the way kube-apiserver's metrics filter would. */
export function classifyRequest(facts: RequestFacts): ClassifiedRequest {
  const url = new URL(facts.url, 'https://localhost');
  const method = facts.method.toUpperCase();
  const requestKind = method === 'GET' || method === 'HEAD' ? 'readOnly' : 'mutating';
  const info = parseRequestPath(url.pathname);
  if (info.kind === 'nonResource' || !info.resource) {
    const root = url.pathname.split('/').filter(Boolean)[0] ?? '';
    const subresource = NON_RESOURCE_ROOTS.has(root) ? `/${root}` : '';
    const verb = VALID_VERBS.has(method === 'HEAD' ? 'GET' : method) ? (method === 'HEAD' ? 'GET' : method) : 'other';
    const labels = { verb, dry_run: '', group: '', version: '', resource: '', subresource, scope: '', component: '' };
    return { labels, longRunning: false, requestKind };
  }
  const known = facts.known(info.group, info.version, info.resource);
  const subresource = known ? (info.subresource ?? '') : '';
  const scope = scopeOf(info.name, info.namespace, method);
  const verb = reportedVerb(method, scope, subresource, url.searchParams, facts);
  const labels = {
    verb,
    dry_run: dryRunOf(url.searchParams),
    group: known ? info.group : '',
    version: known ? info.version : '',
    resource: known ? info.resource : '',
    subresource,
    scope,
    component: 'apiserver',
  };
  const longRunning = verb === 'WATCH' || verb === 'CONNECT' || LONG_RUNNING_SUBRESOURCES.has(subresource);
  return { labels, longRunning, requestKind };
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import { OPENAPI_V2_PROTOBUF_CONTENT_TYPE } from '../openapi/gnostic/encode-document.ts';
import type { OpenApiV3 } from '../openapi/v3.ts';
import { sendJson, type Negotiated } from '../http/respond.ts';
import type { ResourceCatalog } from '../registry/resource-catalog.ts';
import { aggregatedContentType, aggregatedDiscovery, legacyApiGroup, legacyApiGroupList, legacyApiVersions, resourceList } from './discovery.ts';

export const SERVED_VERSION = { major: '1', minor: '33', gitVersion: 'v1.33.1-minato' };

export interface NonResourceDeps {
  catalog: ResourceCatalog;
  openapiV3: () => OpenApiV3;
  openapiV2Protobuf: () => Buffer;
  openapiV2Json: () => unknown;
  serverAddress: string;
  ready: () => boolean;
  /** Prometheus text for /metrics. */
  prometheus: () => Promise<{ contentType: string; body: string }>;
}

function sendText(res: ServerResponse, code: number, text: string, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(code, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-cache, private' });
  res.end(text);
}

/** Serves `/version`, health, `/metrics`, discovery and OpenAPI. Returns false when the path is not one of them. */
export async function handleNonResource(d: NonResourceDeps, req: IncomingMessage, res: ServerResponse, path: string, negotiated: Negotiated): Promise<boolean> {
  if (path === '/version' || path === '/version/') {
    sendJson(res, 200, { ...SERVED_VERSION, gitCommit: '0000000000000000000000000000000000000000', gitTreeState: 'clean', buildDate: '2026-11-22T00:00:00Z', goVersion: 'go1.24', compiler: 'gc', platform: 'linux/amd64' });
    return true;
  }
  if (/^\/(healthz|livez|readyz)(\/.*)?$/.test(path)) {
    const ok = !path.startsWith('/readyz') || d.ready();
    sendText(res, ok ? 200 : 500, ok ? 'ok' : 'readyz check failed');
    return true;
  }
  if (path === '/metrics') {
    const scraped = await d.prometheus();
    sendText(res, 200, scraped.body, scraped.contentType);
    return true;
  }
  if (path === '/api' || path === '/apis') {
    const core = path === '/api';
    if (negotiated.discovery) sendJson(res, 200, aggregatedDiscovery(d.catalog, core, negotiated.discovery), aggregatedContentType(negotiated.discovery));
    else sendJson(res, 200, core ? legacyApiVersions(d.serverAddress) : legacyApiGroupList(d.catalog));
    return true;
  }
  const gv = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))\/?$/.exec(path);
  if (gv) {
    const group = gv[2] ?? '';
    const version = gv[1] ?? (gv[3] as string);
    if (!d.catalog.hasGroupVersion(group, version)) return false;
    sendJson(res, 200, resourceList(d.catalog, group, version));
    return true;
  }
  const group = /^\/apis\/([^/]+)\/?$/.exec(path);
  if (group) {
    const body = legacyApiGroup(d.catalog, group[1] as string);
    if (!body) return false;
    sendJson(res, 200, body);
    return true;
  }
  if (path === '/openapi/v3' || path === '/openapi/v3/') {
    sendJson(res, 200, d.openapiV3().index());
    return true;
  }
  if (path.startsWith('/openapi/v3/')) return serveV3Document(d, req, res, path.slice('/openapi/v3/'.length));
  if (path === '/openapi/v2' || path === '/swagger.json') {
    const accept = req.headers.accept ?? '';
    if (accept.includes('protobuf')) {
      const body = d.openapiV2Protobuf();
      res.writeHead(200, { 'Content-Type': OPENAPI_V2_PROTOBUF_CONTENT_TYPE, 'Content-Length': body.length });
      res.end(body);
    } else sendJson(res, 200, d.openapiV2Json());
    return true;
  }
  return false;
}

function serveV3Document(d: NonResourceDeps, req: IncomingMessage, res: ServerResponse, gvPath: string): boolean {
  const doc = d.openapiV3().document(gvPath);
  if (!doc) return false;
  const hash = new URL(req.url ?? '/', 'https://x').searchParams.get('hash');
  if (hash && hash !== doc.etag) {
    res.writeHead(301, { Location: `/openapi/v3/${gvPath}?hash=${doc.etag}` });
    res.end();
    return true;
  }
  const headers: Record<string, string | number> = { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(doc.body), ETag: `"${doc.etag}"` };
  if (hash) {
    headers['Cache-Control'] = 'public, immutable';
    headers.Expires = new Date(Date.now() + 365 * 24 * 3600 * 1000).toUTCString();
  } else headers['Cache-Control'] = 'no-cache, private';
  res.writeHead(200, headers);
  res.end(doc.body);
  return true;
}

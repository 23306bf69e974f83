import type { ServerResponse } from 'node:http';
import { StatusError } from '../status-error.ts';

export const TABLE_CONTENT_TYPE = 'application/json;as=Table;v=v1;g=meta.k8s.io';

/** Accept header negotiation the API server needs: Table rendering, aggregated discovery, or plain JSON. */
export interface Negotiated {
  table: boolean;
  discovery?: 'v2' | 'v2beta1';
}

export function negotiate(accept: string | undefined): Negotiated {
  const ranges = (accept ?? '').split(',').map((r) => r.trim().replace(/\s+/g, ''));
  let discovery: Negotiated['discovery'];
  let table = false;
  for (const r of ranges) {
    const params = new Map(r.split(';').slice(1).map((p) => p.split('=') as [string, string]));
    if (params.get('as') === 'Table' && params.get('g') === 'meta.k8s.io') {
      table = true;
      break;
    }
    if (params.get('as') === 'APIGroupDiscoveryList' && params.get('g') === 'apidiscovery.k8s.io') {
      const v = params.get('v');
      if (v === 'v2' || v === 'v2beta1') {
        discovery = v;
        break;
      }
    }
    if (r.startsWith('application/json') || r.startsWith('*/*')) break;
  }
  return { table, discovery };
}

export function sendJson(res: ServerResponse, code: number, body: unknown, contentType = 'application/json', extraHeaders: Record<string, string | string[]> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(code, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-cache, private',
    ...extraHeaders,
  });
  res.end(text);
}

export function sendStatusError(res: ServerResponse, err: StatusError, warnings: string[] = []): void {
  const headers: Record<string, string | string[]> = {};
  if (warnings.length) headers.Warning = warnings.map(formatWarning);
  if (err.details?.retryAfterSeconds) headers['Retry-After'] = String(err.details.retryAfterSeconds);
  sendJson(res, err.code, err.toStatus(), 'application/json', headers);
}

/** RFC 7234 warning header as kube-apiserver sends it; kubectl prints `Warning: <text>`. */
export function formatWarning(text: string): string {
  return `299 - ${JSON.stringify(text)}`;
}

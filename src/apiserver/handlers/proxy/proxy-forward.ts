/**
 * Relays one HTTP request to a proxy target and its answer back, both streamed: the request body
 * is piped as it arrives and the response is flushed chunk by chunk, so long polls, watches and
 * large downloads pass through without being held in memory.
 */
import { request as httpRequest, type Agent, type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import { serviceUnavailable } from '../../status-error.ts';
import type { ProxyTarget } from './proxy-targets.ts';

/** Headers that describe one hop, never relayed (RFC 9110 §7.6.1), plus the client's credentials. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

/** How long a connection to the target may take before the request fails (upstream's dial timeout). */
const DIAL_TIMEOUT_MS = 30_000;

/**
 * Workloads answer as sloppily as they like (busybox httpd relays a CGI script's bare-LF headers),
 * and Go's HTTP client, upstream's proxy, reads them; Node's parser refuses them unless lenient.
 * A lenient parser could be desynchronised by a hostile answer, so each such request gets its own
 * connection (`agent: false`) and nothing else is ever read from it.
 */
const LENIENT = { agent: false, insecureHTTPParser: true } as const;

export interface ForwardRequest {
  req: IncomingMessage;
  res: ServerResponse;
  target: ProxyTarget;
  /** Path (still escaped) and query asked of the target. */
  pathAndQuery: string;
  /** The API server path that reaches the target's root (`…/NAME/proxy`): redirects are rewritten under it. */
  prefix: string;
  /** The HTTP agent for the target (the kubelet client's, carrying the client certificate), if any. */
  agent?: Agent;
}

function connectionTokens(headers: IncomingHttpHeaders): Set<string> {
  const value = headers.connection;
  return new Set((value ?? '').split(',').map((t) => t.trim().toLowerCase()).filter(Boolean));
}

/** The client's headers as the target should see them: no hop-by-hop, no API credentials, forwarding info added. */
export function targetRequestHeaders(req: IncomingMessage, f: { target: ProxyTarget; prefix: string; path: string }): OutgoingHttpHeaders {
  const named = connectionTokens(req.headers);
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || named.has(name)) continue;
    if (name === 'host' || name === 'authorization' || name.startsWith('impersonate-') || name.startsWith('x-forwarded-')) continue;
    out[name] = value;
  }
  // A chunked body of a method Node would not chunk by default (DELETE, OPTIONS) must stay chunked.
  if (req.headers['transfer-encoding'] && req.headers['content-length'] === undefined) out['transfer-encoding'] = 'chunked';
  out.host = hostPort(f.target);
  const client = req.socket.remoteAddress;
  const before = req.headers['x-forwarded-for'];
  out['x-forwarded-for'] = [before, client].filter(Boolean).join(', ');
  out['x-forwarded-uri'] = f.prefix + (f.path || '/');
  if (req.headers.host) out['x-forwarded-host'] = req.headers.host;
  out['x-forwarded-proto'] = 'https';
  return out;
}

/**
 * A redirect to the target itself (an absolute path, or the target's own host) is rewritten to go
 * through the proxy again; other locations pass unchanged. Only the path is written, so the client
 * stays on whatever address it used (the API server, or `kubectl proxy` in front of it).
 */
export function rewriteLocation(location: string, target: ProxyTarget, prefix: string): string {
  const base = new URL(`${target.scheme}://${hostPort(target)}/`);
  let url: URL;
  try {
    url = new URL(location, base);
  } catch {
    return location;
  }
  const pathOnly = location.startsWith('/') && !location.startsWith('//');
  const sameHost = (location.startsWith('//') || /^[a-z][a-z0-9+.-]*:\/\//i.test(location)) && url.host === base.host;
  // Another host, or a relative path (which already resolves under the proxy): left as is.
  if (!pathOnly && !sameHost) return location;
  const rest = `${url.pathname}${url.search}${url.hash}`;
  return url.pathname.startsWith(prefix) ? rest : prefix + rest;
}

function hostPort(target: ProxyTarget): string {
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  return target.port ? `${host}:${target.port}` : host;
}

function responseHeaders(upstream: IncomingMessage, f: ForwardRequest): OutgoingHttpHeaders {
  const named = connectionTokens(upstream.headers);
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(upstream.headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || named.has(name)) continue;
    out[name] = name === 'location' && typeof value === 'string' ? rewriteLocation(value, f.target, f.prefix) : value;
  }
  return out;
}

/** Fails a connection that is not established within the dial timeout; reused keep-alive sockets are already connected. */
function limitDial(socket: Socket, fail: (err: Error) => void): void {
  if (!socket.connecting) return;
  const timer = setTimeout(() => fail(new Error(`dial ${socket.remoteAddress ?? ''} timed out after ${DIAL_TIMEOUT_MS / 1000}s`)), DIAL_TIMEOUT_MS);
  socket.once('connect', () => clearTimeout(timer));
  socket.once('close', () => clearTimeout(timer));
}

/**
 * Sends the request to the target and streams the answer back. Resolves once the exchange is over
 * (or either side went away); rejects with a 503 Status when the target cannot be reached before
 * it answered, which the caller reports like any other failure.
 */
export function forwardHttp(f: ForwardRequest): Promise<void> {
  const { req, res, target } = f;
  const path = f.pathAndQuery.split('?')[0] ?? '';
  const send = target.scheme === 'https' ? httpsRequest : httpRequest;
  return new Promise<void>((resolve, reject) => {
    let answered = false;
    const out = send({
      host: target.host,
      port: target.port,
      method: req.method,
      path: f.pathAndQuery || '/',
      headers: targetRequestHeaders(req, { target, prefix: f.prefix, path }),
      ...(f.agent ? { agent: f.agent } : LENIENT),
      // Pods and Services serve whatever certificate they have, as upstream's proxy transport accepts.
      ...(target.scheme === 'https' && !f.agent ? { rejectUnauthorized: false } : {}),
    });
    out.once('socket', (socket) => limitDial(socket, (err) => out.destroy(err)));
    out.once('error', (err) => {
      if (!answered) return reject(serviceUnavailable(`error trying to reach service: ${err.message}`));
      res.destroy(err);
    });
    out.once('response', (upstream) => {
      answered = true;
      res.writeHead(upstream.statusCode ?? 502, upstream.statusMessage, responseHeaders(upstream, f));
      res.flushHeaders();
      upstream.pipe(res);
      // A target that stops mid-answer must not leave the client waiting for the rest.
      upstream.once('close', () => {
        if (!upstream.complete) res.destroy();
      });
    });
    // The client's side closing ends the exchange either way; a target still talking is cut off.
    res.once('close', () => {
      if (!res.writableFinished) out.destroy();
      resolve();
    });
    req.pipe(out);
  });
}

/**
 * The agent's HTTPS endpoint the API server proxies to (`status.daemonEndpoints.kubeletEndpoint`):
 * `GET /containerLogs/<ns>/<pod>/<container>` (follow, previous, tailLines, timestamps, sinceSeconds,
 * sinceTime, limitBytes) and `/healthz`. Clients must present a certificate signed by the cluster
 * CA (the API server's kubelet-client certificate). exec/attach/portForward are not served yet.
 */
import { open, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../../client/clock.ts';
import type { ContainerRuntime, ContainerStatus } from '../runtime/container-runtime.ts';
import { parseCriLog, renderLog, type LogOptions } from './cri-log.ts';
import { attemptOf } from './worker-context.ts';

/** TLS material and address of the agent's server. */
export interface KubeletServerConfig {
  host: string;
  port: number;
  /** Serving certificate and key (PEM), and the CA that signs API server client certificates. */
  cert: string;
  key: string;
  ca: string;
}

const FOLLOW_POLL_MS = 250;

function logOptions(q: URLSearchParams, clock: Clock): LogOptions & { follow: boolean; previous: boolean } {
  const num = (k: string): number | undefined => (q.has(k) && /^-?\d+$/.test(q.get(k) ?? '') ? Number(q.get(k)) : undefined);
  const sinceSeconds = num('sinceSeconds');
  const sinceTime = q.get('sinceTime');
  return {
    follow: q.get('follow') === 'true',
    previous: q.get('previous') === 'true',
    timestamps: q.get('timestamps') === 'true',
    tailLines: num('tailLines'),
    limitBytes: num('limitBytes'),
    sinceMs: sinceSeconds !== undefined ? clock.now().getTime() - sinceSeconds * 1000 : sinceTime ? Date.parse(sinceTime) : undefined,
  };
}

/** The instance `kubectl logs` means: the newest one, or with `previous` the one before. */
export function pickInstance(all: ContainerStatus[], ns: string, pod: string, container: string, previous: boolean): ContainerStatus | undefined {
  const mine = all.filter((c) => c.podNamespace === ns && c.podName === pod && c.containerName === container).sort((a, b) => attemptOf(b) - attemptOf(a));
  return previous ? mine[1] : mine[0];
}

async function readFrom(path: string, offset: number): Promise<{ text: string; size: number }> {
  const size = (await stat(path).catch(() => undefined))?.size ?? 0;
  if (size <= offset) return { text: '', size: offset };
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(size - offset);
    await fh.read(buf, 0, buf.length, offset);
    return { text: buf.toString('utf8'), size };
  } finally {
    await fh.close();
  }
}

/** Starts the server; resolves once it listens. */
export async function startKubeletServer(cfg: KubeletServerConfig, runtime: ContainerRuntime, clock: Clock): Promise<Server> {
  const server = createServer({ cert: cfg.cert, key: cfg.key, ca: cfg.ca, requestCert: true, rejectUnauthorized: true }, (req, res) => {
    handle(req, res, runtime, clock).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(String(err));
    });
  });
  // exec/attach/portForward arrive as upgrades; answer plainly instead of hanging the client.
  server.on('upgrade', (_req, socket) => socket.end('HTTP/1.1 501 Not Implemented\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nexec, attach and port-forward are not supported by this node agent yet\n'));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(cfg.port, cfg.host, () => resolve());
  });
  return server;
}

async function handle(req: IncomingMessage, res: ServerResponse, runtime: ContainerRuntime, clock: Clock): Promise<void> {
  const url = new URL(req.url ?? '/', 'https://agent');
  if (url.pathname === '/healthz') return void res.end('ok');
  const m = /^\/containerLogs\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(url.pathname);
  if (!m || req.method !== 'GET') {
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    return void res.end('not found\n');
  }
  const [ns, pod, container] = [m[1], m[2], m[3]].map((s) => decodeURIComponent(s ?? ''));
  const opts = logOptions(url.searchParams, clock);
  const inst = pickInstance(await runtime.listContainers(), ns ?? '', pod ?? '', container ?? '', opts.previous);
  if (!inst) {
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    return void res.end(opts.previous ? `previous terminated container "${container ?? ''}" in pod "${pod ?? ''}" not found\n` : `container "${container ?? ''}" in pod "${pod ?? ''}" is not available\n`);
  }
  const path = runtime.logPath(inst.id);
  res.writeHead(200, { 'Content-Type': 'text/plain' });
  let { text, size } = await readFrom(path, 0);
  let parsed = parseCriLog(text);
  res.write(renderLog(parsed.lines, opts));
  if (!opts.follow) return void res.end();
  let closed = false;
  res.once('close', () => (closed = true));
  const followOpts = { timestamps: opts.timestamps };
  while (!closed) {
    await clock.sleep(FOLLOW_POLL_MS);
    ({ text, size } = await readFrom(path, size).then((r) => ({ text: parsed.rest + r.text, size: r.size })));
    parsed = parseCriLog(text);
    if (parsed.lines.length) res.write(renderLog(parsed.lines, followOpts));
    const st = await runtime.containerStatus(inst.id).catch(() => undefined);
    if (!st || st.state === 'exited') {
      const last = await readFrom(path, size);
      res.write(renderLog(parseCriLog(parsed.rest + last.text + '\n').lines, followOpts));
      break;
    }
  }
  res.end();
}

/**
 * The node agent's HTTPS API (the kubelet's port 10250 surface) used by the API server: container
 * logs, exec/attach, port-forward, the stats summary and Prometheus metrics. Every client must
 * present a certificate signed by the cluster CA: the API server, or a Prometheus given one.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { realClock, type Clock } from '../../client/clock.ts';
import type { ContainerRuntime } from '../runtime/container-runtime.ts';
import { serveContainerLogs } from './logs-route.ts';
import { serveMetrics, type MetricsRoutes } from './metrics-route.ts';
import { rejectUpgrade, replyStatus } from './replies.ts';
import { collectSummary, procNodeUsage, type NodeUsage, type PodContainers } from './stats-summary.ts';
import { handleStreamingUpgrade } from './upgrade-routes.ts';
import { WS_PORT_FORWARD_TUNNEL } from './stream-protocol.ts';

/** What the agent knows about one container of a pod. */
export interface ResolvedContainer {
  /** Runtime id of the current instance. */
  id: string;
  /** Runtime id of the previous instance (after a restart), whose log the agent keeps. */
  previousId?: string;
}

type Maybe<T> = T | Promise<T>;

export interface AgentServerConfig {
  nodeName: string;
  /** 0 picks a free port. */
  port: number;
  host: string;
  /** Serving certificate and key; `ca` is the cluster CA that client certificates must chain to. */
  tls: { cert: string; key: string; ca: string };
  runtime: ContainerRuntime;
  resolveContainer(namespace: string, pod: string, container: string): Maybe<ResolvedContainer | undefined>;
  podIp(namespace: string, pod: string): Maybe<string | undefined>;
  /** Pods running on this node with their containers' runtime ids (for /stats/summary). */
  runningPods(): Maybe<PodContainers[]>;
  nodeUsage?: () => Promise<NodeUsage>;
  /** Prometheus `/metrics` and `/metrics/cadvisor`; both 404 when absent. */
  metrics?: MetricsRoutes;
  clock?: Clock;
  log?: (msg: string, fields?: Record<string, unknown>) => void;
}

export interface RunningAgentServer {
  port: number;
  close(): Promise<void>;
}

/** Starts the agent's HTTPS server. */
export async function startAgentServer(cfg: AgentServerConfig): Promise<RunningAgentServer> {
  const clock = cfg.clock ?? realClock;
  const log = cfg.log ?? (() => undefined);
  const shutdown = new AbortController();
  const server: Server = createServer({ cert: cfg.tls.cert, key: cfg.tls.key, ca: cfg.tls.ca, requestCert: true, rejectUnauthorized: true });
  server.requestTimeout = 0;
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  // `ws` refuses `SPDY/3.1+portforward.k8s.io` as a subprotocol token ('/' is no token char), so
  // the upgrade strips it and it is put back into the 101 here.
  const tunnelled = new WeakSet<IncomingMessage>();
  wss.on('headers', (headers: string[], req: IncomingMessage) => {
    if (tunnelled.has(req)) headers.push(`Sec-WebSocket-Protocol: ${WS_PORT_FORWARD_TUNNEL}`);
  });
  const deps = { cfg, clock, log, wss, tunnelled, signal: shutdown.signal };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    void route(deps, req, res).catch((err: unknown) => {
      log('agent request failed', { url: req.url, err: err instanceof Error ? err.stack : String(err) });
      if (!res.headersSent) replyStatus(res, 500, err instanceof Error ? err.message : String(err));
      else res.end();
    });
  });
  const upgraded = new Set<Duplex>(); // detached from the HTTP server, so closed by hand on shutdown
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    upgraded.add(socket);
    socket.once('close', () => upgraded.delete(socket));
    socket.on('error', () => undefined);
    void handleStreamingUpgrade(deps, req, socket, head).catch((err: unknown) => {
      log('agent upgrade failed', { url: req.url, err: err instanceof Error ? err.stack : String(err) });
      if (socket.writable) rejectUpgrade(socket, 500, err instanceof Error ? err.message : String(err));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(cfg.port, cfg.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  log('agent server listening', { host: cfg.host, port });
  return {
    port,
    async close() {
      shutdown.abort();
      for (const ws of wss.clients) ws.terminate();
      for (const socket of upgraded) socket.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface AgentDeps {
  cfg: AgentServerConfig;
  clock: Clock;
  log: (msg: string, fields?: Record<string, unknown>) => void;
  wss: WebSocketServer;
  tunnelled: WeakSet<IncomingMessage>;
  signal: AbortSignal;
}

async function route(d: AgentDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'https://agent');
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  if (req.method !== 'GET') return replyStatus(res, 405, `${req.method ?? ''} is not allowed on ${url.pathname}`);
  if (parts[0] === 'healthz') {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end('ok');
    return;
  }
  if (parts[0] === 'containerLogs' && parts.length === 4) return serveContainerLogs(d, req, res, parts[1] as string, parts[2] as string, parts[3] as string, url.searchParams);
  if (url.pathname === '/stats/summary') {
    const summary = await collectSummary({ nodeName: d.cfg.nodeName, runtime: d.cfg.runtime, pods: await d.cfg.runningPods(), nodeUsage: d.cfg.nodeUsage ?? procNodeUsage, clock: d.clock });
    const body = JSON.stringify(summary);
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
    return;
  }
  if (parts[0] === 'metrics') return serveMetrics(d.cfg.metrics, res, url.pathname);
  if (['exec', 'attach', 'portForward'].includes(parts[0] ?? '')) return replyStatus(res, 400, `${parts[0] ?? ''} requires a connection upgrade (WebSocket or SPDY/3.1)`);
  replyStatus(res, 404, `the agent does not serve ${url.pathname}`);
}

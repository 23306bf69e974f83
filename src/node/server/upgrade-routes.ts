/**
 * Upgraded requests: `/exec/<ns>/<pod>/<container>`, `/attach/...` and `/portForward/<ns>/<pod>`,
 * over a WebSocket (channel protocol v4/v5, or the SPDY tunnel for port-forward) or SPDY/3.1.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { createWebSocketStream, type WebSocket } from 'ws';
import type { AgentDeps } from './agent-server.ts';
import { servePortForward } from './port-forward.ts';
import { runAttach, runExec, type CommandStreams } from './remote-command.ts';
import { acceptSpdyUpgrade, rejectUpgrade } from './replies.ts';
import { serveSpdyCommand } from './spdy-command.ts';
import { negotiate, PORT_FORWARD_PROTOCOL, SPDY_EXEC_PROTOCOLS, WS_PORT_FORWARD_TUNNEL, WS_V4, WS_V5 } from './stream-protocol.ts';
import { serveWebSocketCommand, type WantedStreams } from './ws-command.ts';

const isTrue = (q: URLSearchParams, name: string) => q.get(name) === 'true' || q.get(name) === '1';

function transportOf(req: IncomingMessage): 'websocket' | 'spdy' | undefined {
  const upgrade = (req.headers.upgrade ?? '').toLowerCase();
  if (upgrade === 'websocket') return 'websocket';
  if (upgrade.startsWith('spdy/3.1')) return 'spdy';
  return undefined;
}

function acceptWebSocket(d: AgentDeps, req: IncomingMessage, socket: Duplex, head: Buffer): Promise<WebSocket> {
  return new Promise((resolve) => d.wss.handleUpgrade(req, socket, head, (ws) => resolve(ws)));
}

export async function handleStreamingUpgrade(d: AgentDeps, req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
  const url = new URL(req.url ?? '/', 'https://agent');
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const transport = transportOf(req);
  if (!transport) return rejectUpgrade(socket, 400, `unsupported upgrade "${req.headers.upgrade ?? ''}"`);
  const [verb, namespace, pod, container] = parts;
  if (verb === 'portForward' && namespace && pod && parts.length === 3) return portForward(d, req, socket, head, transport, namespace, pod);
  if ((verb === 'exec' || verb === 'attach') && namespace && pod && container && parts.length === 4) {
    return command(d, req, socket, head, transport, { verb, namespace, pod, container, query: url.searchParams });
  }
  rejectUpgrade(socket, 404, `the agent does not serve ${url.pathname}`);
}

async function portForward(d: AgentDeps, req: IncomingMessage, socket: Duplex, head: Buffer, transport: 'websocket' | 'spdy', namespace: string, pod: string): Promise<void> {
  const podIp = await d.cfg.podIp(namespace, pod);
  if (!podIp) return rejectUpgrade(socket, 400, `pod ${namespace}/${pod} has no IP on this node`);
  const target = { namespace, pod, podIp, log: d.log };
  if (transport === 'spdy') {
    if (negotiate(req.headers['x-stream-protocol-version'] as string | undefined, [PORT_FORWARD_PROTOCOL]) === undefined) {
      return rejectUpgrade(socket, 403, `unable to upgrade: port-forward needs stream protocol ${PORT_FORWARD_PROTOCOL}`);
    }
    acceptSpdyUpgrade(socket, PORT_FORWARD_PROTOCOL);
    if (head.length) socket.unshift(head);
    d.log('stream session', { verb: 'portForward', transport, protocol: PORT_FORWARD_PROTOCOL, pod: `${namespace}/${pod}` });
    return servePortForward(socket, target);
  }
  if (negotiate(req.headers['sec-websocket-protocol'], [WS_PORT_FORWARD_TUNNEL]) === undefined) {
    return rejectUpgrade(socket, 400, `port-forward over WebSocket needs subprotocol ${WS_PORT_FORWARD_TUNNEL}`);
  }
  delete req.headers['sec-websocket-protocol'];
  d.tunnelled.add(req);
  const ws = await acceptWebSocket(d, req, socket, head);
  d.log('stream session', { verb: 'portForward', transport, protocol: WS_PORT_FORWARD_TUNNEL, pod: `${namespace}/${pod}` });
  return servePortForward(createWebSocketStream(ws), target);
}

interface CommandRequest {
  verb: 'exec' | 'attach';
  namespace: string;
  pod: string;
  container: string;
  query: URLSearchParams;
}

async function command(d: AgentDeps, req: IncomingMessage, socket: Duplex, head: Buffer, transport: 'websocket' | 'spdy', r: CommandRequest): Promise<void> {
  const want: WantedStreams = { stdin: isTrue(r.query, 'stdin'), stdout: isTrue(r.query, 'stdout'), stderr: isTrue(r.query, 'stderr'), tty: isTrue(r.query, 'tty') };
  const commandArgs = r.query.getAll('command');
  if (r.verb === 'exec' && commandArgs.length === 0) return rejectUpgrade(socket, 400, 'you must specify at least one command for the container');
  if (!want.stdin && !want.stdout && !want.stderr) return rejectUpgrade(socket, 400, 'you must specify at least one of stdin, stdout, stderr');
  const resolved = await d.cfg.resolveContainer(r.namespace, r.pod, r.container);
  if (!resolved) return rejectUpgrade(socket, 404, `container "${r.container}" not found in pod "${r.namespace}/${r.pod}"`);
  const status = await d.cfg.runtime.containerStatus(resolved.id).catch(() => undefined);
  if (status?.state !== 'running') return rejectUpgrade(socket, 400, `container "${r.container}" in pod "${r.pod}" is not running`);
  const target = { runtime: d.cfg.runtime, containerId: resolved.id, tty: want.tty, clock: d.clock };
  const run = (streams: CommandStreams) => (r.verb === 'exec' ? runExec(target, commandArgs, streams) : runAttach(target, streams));
  if (transport === 'spdy') {
    const protocol = negotiate(req.headers['x-stream-protocol-version'] as string | undefined, SPDY_EXEC_PROTOCOLS);
    if (!protocol) return rejectUpgrade(socket, 403, `unable to upgrade: no common stream protocol (we speak ${SPDY_EXEC_PROTOCOLS.join(', ')})`);
    acceptSpdyUpgrade(socket, protocol);
    if (head.length) socket.unshift(head);
    d.log('stream session', { verb: r.verb, transport, protocol, pod: `${r.namespace}/${r.pod}` });
    return serveSpdyCommand(socket, want, run, d.log);
  }
  const protocol = negotiate(req.headers['sec-websocket-protocol'], [WS_V5, WS_V4]);
  // A non-101 answer makes kubectl fall back to SPDY.
  if (!protocol) return rejectUpgrade(socket, 400, `unable to upgrade: no common WebSocket subprotocol (we speak ${WS_V5}, ${WS_V4})`);
  // Keep only the chosen protocol so `ws` echoes it (and never trips over odd tokens in the offer).
  req.headers['sec-websocket-protocol'] = protocol;
  const ws = await acceptWebSocket(d, req, socket, head);
  d.log('stream session', { verb: r.verb, transport, protocol, pod: `${r.namespace}/${r.pod}` });
  return serveWebSocketCommand(ws, protocol, want, run);
}

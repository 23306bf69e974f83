/**
 * pods/log, pods/exec, pods/attach and pods/portforward: the API server checks the request and
 * the pod, then hands the bytes to the node agent. Logs are proxied as a streaming GET; upgrade
 * requests (WebSocket or SPDY) are replayed on a fresh TLS connection to the agent and the two
 * sockets are spliced, so every protocol detail (subprotocols, SPDY framing) is the agent's.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ResourceDefinition } from '../../api/resource-definition.ts';
import type { KubeObject } from '../../api/types.ts';
import type { ApiContext } from '../api-context.ts';
import type { KubeletClient } from '../kubelet/kubelet-client.ts';
import { badRequest, StatusError } from '../status-error.ts';
import type { RequestScope } from './request-scope.ts';

const DEFAULT_CONTAINER_ANNOTATION = 'kubectl.kubernetes.io/default-container';

interface PodShape {
  spec?: { nodeName?: string; containers?: Array<{ name: string }>; initContainers?: Array<{ name: string }>; ephemeralContainers?: Array<{ name: string }> };
}

export async function loadPod(ctx: ApiContext, namespace: string, name: string): Promise<KubeObject & PodShape> {
  const pods = ctx.catalog().find('', 'v1', 'pods') as ResourceDefinition;
  return (await ctx.objects.get(pods, namespace, name)) as KubeObject & PodShape;
}

/** The pod's node; 400 as upstream when it is not scheduled yet. */
export function nodeOf(pod: KubeObject & PodShape): string {
  const node = pod.spec?.nodeName;
  if (!node) throw badRequest(`pod ${pod.metadata?.name ?? ''} does not have a host assigned`);
  return node;
}

/** The container a request addresses, resolved as upstream's pod strategy does. */
export function containerOf(pod: KubeObject & PodShape, requested: string | null): string {
  const name = pod.metadata?.name ?? '';
  const containers = (pod.spec?.containers ?? []).map((c) => c.name);
  const init = (pod.spec?.initContainers ?? []).map((c) => c.name);
  const ephemeral = (pod.spec?.ephemeralContainers ?? []).map((c) => c.name);
  if (requested) {
    if (![...containers, ...init, ...ephemeral].includes(requested)) throw badRequest(`container ${requested} is not valid for pod ${name}`);
    return requested;
  }
  const annotated = pod.metadata?.annotations?.[DEFAULT_CONTAINER_ANNOTATION];
  if (annotated && containers.includes(annotated)) return annotated;
  if (containers.length === 1) return containers[0] as string;
  let message = `a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]`;
  if (init.length) message += ` or one of the init containers: [${init.join(' ')}]`;
  if (ephemeral.length) message += ` or one of the ephemeral containers: [${ephemeral.join(' ')}]`;
  throw badRequest(message);
}

function withoutContainer(query: URLSearchParams): string {
  const q = new URLSearchParams(query);
  q.delete('container');
  const text = q.toString();
  return text ? `?${text}` : '';
}

/** `GET …/pods/<name>/log`: streams the agent's answer through. */
export async function servePodLog(d: { ctx: ApiContext; kubelet: KubeletClient }, s: RequestScope): Promise<void> {
  if (s.req.method !== 'GET') throw new StatusError(405, 'MethodNotAllowed', 'only GET is allowed on pods/log');
  const namespace = s.namespace ?? '';
  const pod = await loadPod(d.ctx, namespace, s.name ?? '');
  const node = nodeOf(pod);
  const container = containerOf(pod, s.query.get('container'));
  const abort = new AbortController();
  s.res.once('close', () => abort.abort());
  const path = `/containerLogs/${encodeURIComponent(namespace)}/${encodeURIComponent(s.name ?? '')}/${encodeURIComponent(container)}${withoutContainer(s.query)}`;
  const upstream = await d.kubelet.get(node, path, abort.signal);
  s.res.writeHead(upstream.statusCode ?? 502, {
    'Content-Type': upstream.headers['content-type'] ?? 'text/plain',
    'Cache-Control': 'no-cache, private',
    ...(upstream.headers['content-length'] ? { 'Content-Length': upstream.headers['content-length'] } : {}),
  });
  s.res.flushHeaders();
  await new Promise<void>((resolve) => {
    upstream.on('data', (chunk: Buffer) => s.res.write(chunk));
    upstream.once('end', resolve);
    upstream.once('error', resolve);
    upstream.once('close', resolve);
  });
  s.res.end();
}

/** What an upgrade request addresses. */
export interface StreamTarget {
  subresource: 'exec' | 'attach' | 'portforward';
  namespace: string;
  name: string;
  query: URLSearchParams;
}

/** The agent path for an upgrade, after the pod checks; throws a StatusError the caller reports. */
export async function agentUpgradePath(ctx: ApiContext, t: StreamTarget): Promise<{ node: string; path: string }> {
  const pod = await loadPod(ctx, t.namespace, t.name);
  const node = nodeOf(pod);
  const ns = encodeURIComponent(t.namespace);
  const name = encodeURIComponent(t.name);
  if (t.subresource === 'portforward') return { node, path: `/portForward/${ns}/${name}${withoutContainer(t.query)}` };
  const container = encodeURIComponent(containerOf(pod, t.query.get('container')));
  const verb = t.subresource === 'exec' ? 'exec' : 'attach';
  return { node, path: `/${verb}/${ns}/${name}/${container}${withoutContainer(t.query)}` };
}

/** Headers never replayed to the agent: the client's credentials and hop-by-hop noise. */
const DROPPED = new Set(['authorization', 'host', 'proxy-authorization', 'cookie']);

/**
 * Replays the upgrade request on a new agent connection and splices the sockets. The agent's
 * answer (101, or an error it chose) reaches the client unchanged.
 */
export async function tunnelUpgrade(kubelet: KubeletClient, req: IncomingMessage, socket: Duplex, head: Buffer, node: string, path: string): Promise<void> {
  const agent = await kubelet.connect(node);
  const ep = await kubelet.endpoint(node);
  const lines = [`${req.method ?? 'GET'} ${path} HTTP/1.1`, `Host: ${ep.host}:${ep.port}`];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i] as string;
    const lower = name.toLowerCase();
    if (DROPPED.has(lower) || lower.startsWith('impersonate-')) continue;
    lines.push(`${name}: ${req.rawHeaders[i + 1] ?? ''}`);
  }
  agent.write(`${lines.join('\r\n')}\r\n\r\n`);
  if (head.length) agent.write(head);
  agent.on('error', () => socket.destroy());
  socket.on('error', () => agent.destroy());
  agent.pipe(socket);
  socket.pipe(agent);
  agent.once('close', () => socket.destroy());
  socket.once('close', () => agent.destroy());
}

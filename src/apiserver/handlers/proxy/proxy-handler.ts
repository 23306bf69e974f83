/**
 * `nodes/proxy`, `pods/proxy` and `services/proxy`: after authentication and RBAC (verb from the
 * method, see {@link proxyVerb}), the request goes to the node's agent, the pod's IP or one ready
 * endpoint of the Service, and the answer comes back unchanged but for redirects to the target.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ApiContext } from '../../api-context.ts';
import type { KubeletClient } from '../../kubelet/kubelet-client.ts';
import { StatusError } from '../../status-error.ts';
import type { RequestScope } from '../request-scope.ts';
import { proxiedResourceOf, splitProxyPath, type ProxiedResource } from './proxy-address.ts';
import { forwardHttp } from './proxy-forward.ts';
import { resolveProxyTarget } from './proxy-targets.ts';
import { tunnelProxyUpgrade } from './proxy-upgrade.ts';

export interface ProxyDeps {
  ctx: ApiContext;
  kubelet: KubeletClient;
}

const notFound = () => new StatusError(404, 'NotFound', 'the server could not find the requested resource', {});

/** The raw path and query of a request, split at `/proxy`; 404 for a path no proxy route matches. */
function proxyRequestParts(req: IncomingMessage): { prefix: string; path: string; query: string } {
  const raw = req.url ?? '/';
  const q = raw.indexOf('?');
  const split = splitProxyPath(q < 0 ? raw : raw.slice(0, q));
  if (!split) throw notFound();
  return { ...split, query: q < 0 ? '' : raw.slice(q) };
}

/**
 * Serves a plain (non-upgrade) proxy request. As upstream, a GET of the bare `…/proxy` is sent to
 * `…/proxy/` first, so relative links in the target's pages resolve under the proxy.
 */
export async function serveProxy(d: ProxyDeps, s: RequestScope): Promise<void> {
  const resource = proxiedResourceOf({ group: s.r.group, version: s.r.version, resource: s.r.plural, namespace: s.namespace, name: s.name, subresource: s.subresource });
  if (!resource) throw notFound();
  const parts = proxyRequestParts(s.req);
  const target = await resolveProxyTarget(d, resource, s.namespace, s.name ?? '');
  const method = s.req.method ?? 'GET';
  if (parts.path === '' && (method === 'GET' || method === 'HEAD')) {
    s.res.writeHead(301, { Location: `${parts.prefix}/${parts.query}`, 'Content-Length': '0' });
    s.res.end();
    return;
  }
  const agent = target.kubeletNode ? await d.kubelet.httpsAgent() : undefined;
  await forwardHttp({ req: s.req, res: s.res, target, pathAndQuery: `${parts.path || '/'}${parts.query}`, prefix: parts.prefix, agent });
}

/** What an upgrade request on a proxy subresource addresses, for the caller to authorize first. */
export interface ProxyUpgradeRequest {
  resource: ProxiedResource;
  namespace?: string;
  name: string;
}

/** The proxied object an upgrade request addresses, or undefined when it is not a proxy request. */
export function proxyUpgradeRequestOf(info: { group: string; version: string; resource: string; namespace?: string; name?: string; subresource?: string }): ProxyUpgradeRequest | undefined {
  const resource = proxiedResourceOf(info);
  return resource ? { resource, namespace: info.namespace, name: info.name ?? '' } : undefined;
}

/** Tunnels an authorized upgrade request to the proxy target; throws a StatusError the caller writes on the socket. */
export async function serveProxyUpgrade(d: ProxyDeps, p: ProxyUpgradeRequest, req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
  const parts = proxyRequestParts(req);
  const target = await resolveProxyTarget(d, p.resource, p.namespace, p.name);
  await tunnelProxyUpgrade(d, { req, socket, head, target, pathAndQuery: `${parts.path || '/'}${parts.query}` });
}

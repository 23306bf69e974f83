/**
 * Connection upgrades (WebSocket or SPDY/3.1) on pods/exec, pods/attach and pods/portforward, and
 * on the proxy subresources: authenticated and authorized like any request, then tunnelled to the
 * pod's node agent (or the proxy target). Failures
 * are answered on the raw socket as a Status, which kubectl prints (or, for a WebSocket attempt,
 * takes as the cue to fall back to SPDY).
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ApiContext } from './api-context.ts';
import type { Authenticator } from './auth/authenticator.ts';
import type { RbacAuthorizer } from './auth/rbac-authorizer.ts';
import { agentUpgradePath, tunnelUpgrade } from './handlers/pod-streams.ts';
import { proxyVerb } from './handlers/proxy/proxy-address.ts';
import { proxyUpgradeRequestOf, serveProxyUpgrade } from './handlers/proxy/proxy-handler.ts';
import type { KubeletClient } from './kubelet/kubelet-client.ts';
import { authorize, identifyRequest } from './request-identity.ts';
import { internalError, isStatusError, StatusError } from './status-error.ts';

const STREAMING = new Set(['exec', 'attach', 'portforward']);

export interface UpgradeHandlerDeps {
  ctx: ApiContext;
  authenticator: Authenticator;
  authorizer: RbacAuthorizer;
  kubelet: KubeletClient;
  log: (msg: string, fields?: Record<string, unknown>) => void;
}

function writeStatus(socket: Duplex, err: StatusError): void {
  const body = JSON.stringify(err.toStatus());
  socket.end(`HTTP/1.1 ${err.code} ${err.reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

export function createUpgradeHandler(d: UpgradeHandlerDeps): (req: IncomingMessage, socket: Duplex, head: Buffer) => Promise<void> {
  return async (req, socket, head) => {
    socket.on('error', () => undefined);
    try {
      const { url, info, user } = await identifyRequest(d, req);
      const proxied = info.kind === 'resource' ? proxyUpgradeRequestOf(info) : undefined;
      if (proxied) {
        await authorize(d, { user, verb: proxyVerb(req.method ?? 'GET'), resourceRequest: true, apiGroup: '', apiVersion: 'v1', resource: proxied.resource, subresource: 'proxy', namespace: proxied.namespace, name: proxied.name });
        return await serveProxyUpgrade(d, proxied, req, socket, head);
      }
      if (info.kind !== 'resource' || info.group !== '' || info.resource !== 'pods' || !info.name || !info.namespace || !STREAMING.has(info.subresource ?? '')) {
        throw new StatusError(404, 'NotFound', 'the server could not find the requested resource', {});
      }
      const subresource = info.subresource as 'exec' | 'attach' | 'portforward';
      const attrs = { user, resourceRequest: true, apiGroup: '', apiVersion: 'v1', resource: 'pods', subresource, namespace: info.namespace, name: info.name };
      // Since 1.30 a WebSocket GET needs `create` as well as `get`, so read-only users cannot exec.
      if (req.method === 'GET') await authorize(d, { ...attrs, verb: 'get' });
      await authorize(d, { ...attrs, verb: 'create' });
      const { node, path } = await agentUpgradePath(d.ctx, { subresource, namespace: info.namespace, name: info.name, query: url.searchParams });
      await tunnelUpgrade(d.kubelet, req, socket, head, node, path);
    } catch (err) {
      if (isStatusError(err)) return writeStatus(socket, err);
      d.log('upgrade failed', { url: req.url, err: err instanceof Error ? err.stack : String(err) });
      writeStatus(socket, internalError(err instanceof Error ? err.message : String(err)));
    }
  };
}

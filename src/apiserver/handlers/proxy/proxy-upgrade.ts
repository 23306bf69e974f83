/**
 * Connection upgrades (WebSocket and the like) through a proxy subresource: the upgrade request is
 * replayed on a fresh connection to the target and the two sockets are spliced, so the protocol
 * after the 101 is entirely the client's and the target's business.
 */
import type { IncomingMessage } from 'node:http';
import { connect as tcpConnect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import type { KubeletClient } from '../../kubelet/kubelet-client.ts';
import { serviceUnavailable } from '../../status-error.ts';
import type { ProxyTarget } from './proxy-targets.ts';

const DROPPED = new Set(['authorization', 'host', 'proxy-authorization']);

function dial(kubelet: KubeletClient, target: ProxyTarget): Promise<Socket> {
  if (target.kubeletNode) return kubelet.connect(target.kubeletNode);
  const port = target.port ?? (target.scheme === 'https' ? 443 : 80);
  return new Promise((resolve, reject) => {
    const socket =
      target.scheme === 'https'
        ? tlsConnect({ host: target.host, port, rejectUnauthorized: false, ALPNProtocols: ['http/1.1'] }, () => resolve(socket))
        : tcpConnect({ host: target.host, port }, () => resolve(socket));
    socket.once('error', (err) => reject(serviceUnavailable(`error trying to reach service: ${err.message}`)));
  });
}

/** The upgrade request as the target should see it: its own path and Host, no API server credentials. */
export function upgradeRequestHead(req: IncomingMessage, target: ProxyTarget, pathAndQuery: string): string {
  const port = target.port ? `:${target.port}` : '';
  const lines = [`${req.method ?? 'GET'} ${pathAndQuery || '/'} HTTP/1.1`, `Host: ${target.host.includes(':') ? `[${target.host}]` : target.host}${port}`];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i] as string;
    const lower = name.toLowerCase();
    if (DROPPED.has(lower) || lower.startsWith('impersonate-')) continue;
    lines.push(`${name}: ${req.rawHeaders[i + 1] ?? ''}`);
  }
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** Replays the upgrade on the target and splices the sockets; rejects with a 503 Status when the target cannot be reached. */
export async function tunnelProxyUpgrade(d: { kubelet: KubeletClient }, u: { req: IncomingMessage; socket: Duplex; head: Buffer; target: ProxyTarget; pathAndQuery: string }): Promise<void> {
  const upstream = await dial(d.kubelet, u.target);
  if (u.socket.destroyed) return void upstream.destroy(); // the client left while we dialled
  upstream.write(upgradeRequestHead(u.req, u.target, u.pathAndQuery));
  if (u.head.length) upstream.write(u.head);
  upstream.on('error', () => u.socket.destroy());
  u.socket.on('error', () => upstream.destroy());
  upstream.pipe(u.socket);
  u.socket.pipe(upstream);
  upstream.once('close', () => u.socket.destroy());
  u.socket.once('close', () => upstream.destroy());
}

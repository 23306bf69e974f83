/**
 * How a proxy request names its target, parsed as kube-apiserver does: the object name may carry a
 * scheme and a port (`https:name:8443`), the HTTP method maps to an RBAC verb, and everything after
 * `/proxy` is the target's path.
 */
import { isIPv4, isIPv6 } from 'node:net';

/** The resources with a `proxy` subresource, all in the core group. */
export type ProxiedResource = 'nodes' | 'pods' | 'services';

/** `[scheme:]name[:port]` split into its parts; `scheme` and `port` are '' when absent. */
export interface ProxyId {
  scheme: '' | 'http' | 'https';
  name: string;
  port: string;
}

/**
 * Splits `name`, `name:port` or `scheme:name:port` (upstream `SplitSchemeNamePort`); undefined
 * when there are more parts, the name is empty or the scheme is not http/https.
 */
export function parseProxyId(id: string): ProxyId | undefined {
  const parts = id.split(':');
  let scheme = '';
  let name: string;
  let port = '';
  if (parts.length === 1) name = parts[0] as string;
  else if (parts.length === 2) [name, port] = parts as [string, string];
  else if (parts.length === 3) [scheme, name, port] = parts as [string, string, string];
  else return undefined;
  if (!name || (scheme !== '' && scheme !== 'http' && scheme !== 'https')) return undefined;
  return { scheme, name, port };
}

/**
 * The RBAC verb of a proxy request: the method alone decides (a `?watch=true` passed to the target
 * is the target's business). Methods other than these get no verb, as upstream, so only a `*`
 * rule allows them.
 */
export function proxyVerb(method: string): string {
  switch (method) {
    case 'GET':
    case 'HEAD':
      return 'get';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return 'delete';
    default:
      return '';
  }
}

/** Which proxied resource a parsed request addresses, or undefined (wrong group, scope or subresource). */
export function proxiedResourceOf(info: { group: string; version: string; resource: string; namespace?: string; name?: string; subresource?: string }): ProxiedResource | undefined {
  if (info.group !== '' || info.version !== 'v1' || info.subresource !== 'proxy' || !info.name) return undefined;
  if (info.resource === 'nodes') return info.namespace === undefined ? 'nodes' : undefined;
  if (info.resource === 'pods' || info.resource === 'services') return info.namespace ? info.resource : undefined;
  return undefined;
}

const PROXY_PATH = /^(\/api\/v1\/(?:namespaces\/[^/]+\/)?[^/]+\/[^/]+\/proxy)(\/.*)?$/;

/**
 * Splits a still-escaped request path at `/proxy`: `prefix` reaches the target's root through the
 * API server, `path` is what the target is asked for ('' when the URL ends at `/proxy`). The path
 * stays escaped so the target sees exactly what the client sent.
 */
export function splitProxyPath(rawPathname: string): { prefix: string; path: string } | undefined {
  const m = PROXY_PATH.exec(rawPathname);
  if (!m) return undefined;
  return { prefix: m[1] as string, path: m[2] ?? '' };
}

/**
 * True for addresses the API server may be pointed at (Go's `IP.IsGlobalUnicast`): not
 * unspecified, loopback, link-local, multicast or broadcast. Pod and endpoint IPs come from
 * writable objects, so without this a status write could aim the proxy at the API server's host.
 */
export function isProxyableIp(ip: string): boolean {
  if (isIPv4(ip)) return isGlobalUnicastV4(ip.split('.').map(Number));
  if (!isIPv6(ip)) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return isGlobalUnicastV4((mapped[1] as string).split('.').map(Number));
  const lower = ip.toLowerCase();
  if (lower === '::' || lower === '::1') return false;
  const first = parseInt(lower.split(':')[0] || '0', 16);
  if ((first & 0xff00) === 0xff00) return false; // multicast ff00::/8
  if ((first & 0xffc0) === 0xfe80) return false; // link-local fe80::/10
  return true;
}

function isGlobalUnicastV4(octets: number[]): boolean {
  const [a = 0, b = 0] = octets;
  if (octets.every((o) => o === 0) || octets.every((o) => o === 255)) return false;
  if (a === 127 || (a >= 224 && a <= 239)) return false; // loopback, multicast
  return !(a === 169 && b === 254);
}

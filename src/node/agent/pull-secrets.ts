/** imagePullSecrets → registry credentials (`kubernetes.io/dockerconfigjson` and the older `dockercfg`). */
import type { Secret } from 'kubernetes-types/core/v1.js';
import type { RegistryAuth } from './image-service.ts';

interface DockerAuthEntry {
  auth?: string;
  username?: string;
  password?: string;
  identitytoken?: string;
  registrytoken?: string;
}

function registryHost(key: string): string {
  // Keys may be URLs ("https://index.docker.io/v1/") or bare hosts.
  const host = key.replace(/^https?:\/\//, '').split('/')[0] ?? key;
  return host === 'index.docker.io' ? 'docker.io' : host;
}

function toAuth(registry: string, e: DockerAuthEntry): RegistryAuth {
  const out: RegistryAuth = { registry: registryHost(registry) };
  if (e.auth) {
    const decoded = Buffer.from(e.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    out.username = decoded.slice(0, Math.max(colon, 0));
    out.password = decoded.slice(colon + 1);
  }
  if (e.username) out.username = e.username;
  if (e.password) out.password = e.password;
  // A registrytoken is a bearer token for the registry itself. An identitytoken is an OAuth2 refresh
  // token that would have to be exchanged at the token realm first; that exchange is not implemented,
  // so it is ignored rather than sent where it would only earn a 401.
  if (e.registrytoken) out.token = e.registrytoken;
  return out;
}

/** Credentials in one pull secret; secrets of other types or with bad JSON give none. */
export function registryAuths(secret: Secret): RegistryAuth[] {
  const data = secret.data ?? {};
  try {
    if (data['.dockerconfigjson']) {
      const doc = JSON.parse(Buffer.from(data['.dockerconfigjson'], 'base64').toString('utf8')) as { auths?: Record<string, DockerAuthEntry> };
      return Object.entries(doc.auths ?? {}).map(([k, v]) => toAuth(k, v));
    }
    if (data['.dockercfg']) {
      const doc = JSON.parse(Buffer.from(data['.dockercfg'], 'base64').toString('utf8')) as Record<string, DockerAuthEntry>;
      return Object.entries(doc).map(([k, v]) => toAuth(k, v));
    }
  } catch {
    return [];
  }
  return [];
}

/** The credentials that apply to `image` (matching registry host), best first. */
export function authsForImage(image: string, auths: RegistryAuth[]): RegistryAuth[] {
  const first = image.split('/')[0] ?? '';
  const host = image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost') ? first : 'docker.io';
  return auths.filter((a) => a.registry === host);
}

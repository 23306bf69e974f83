import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { ServiceAccountTokens } from './service-account-tokens.ts';
import { ALL_AUTHENTICATED, anonymousUser, parseServiceAccountUsername, withGroup, type UserInfo } from './user-info.ts';

export interface AuthenticatorConfig {
  /** Bearer token → user (like kube-apiserver's `--token-auth-file`). */
  staticTokens: Map<string, UserInfo>;
  serviceAccountTokens: ServiceAccountTokens;
  /** Rejects tokens of deleted (or deleted and re-created) service accounts, as upstream's lookup does. */
  serviceAccountExists?: (namespace: string, name: string, uid?: string) => Promise<boolean>;
}

export interface Authenticator {
  /**
   * Who sent the request: the client certificate (CN → username, O → groups) if the TLS layer verified
   * one, else the bearer token; `system:anonymous` when no credentials were presented at all. Undefined
   * means credentials were presented and none was valid: answer 401.
   */
  authenticate(req: IncomingMessage): Promise<UserInfo | undefined>;
  /** Checks a bearer token alone (TokenReview); `audiences` default to the API server's. */
  authenticateToken(token: string, audiences?: string[]): Promise<UserInfo | undefined>;
}

/** Creates the request authenticator: x509 client certificates, then static tokens, then service-account JWTs. */
export function createAuthenticator(config: AuthenticatorConfig): Authenticator {
  const authenticateToken = async (token: string, audiences?: string[]): Promise<UserInfo | undefined> => {
    const user = config.staticTokens.get(token) ?? (await serviceAccountUser(config, token, audiences));
    return user && withGroup(user, ALL_AUTHENTICATED);
  };
  // A connection's client certificate never changes: read it once per socket (it is costly per request).
  const certBySocket = new WeakMap<object, { user?: UserInfo; presented: boolean }>();
  return {
    authenticateToken,
    async authenticate(req) {
      let cert = certBySocket.get(req.socket);
      if (!cert) {
        cert = clientCertUser(req);
        certBySocket.set(req.socket, cert);
      }
      if (cert.user) return withGroup(cert.user, ALL_AUTHENTICATED);
      const token = bearerToken(req);
      if (token) return authenticateToken(token);
      return cert.presented ? undefined : anonymousUser();
    },
  };
}

async function serviceAccountUser(config: AuthenticatorConfig, token: string, audiences?: string[]): Promise<UserInfo | undefined> {
  const user = await config.serviceAccountTokens.verify(token, audiences);
  if (!user || !config.serviceAccountExists) return user;
  const account = parseServiceAccountUsername(user.username);
  return account && (await config.serviceAccountExists(account.namespace, account.name, user.uid)) ? user : undefined;
}

/** `Authorization: Bearer <token>`; other schemes and empty tokens count as no token, as upstream. */
function bearerToken(req: IncomingMessage): string | undefined {
  const match = /^bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return match?.[1];
}

/** The verified client certificate's identity; `presented` tells a bad certificate from none. */
function clientCertUser(req: IncomingMessage): { user?: UserInfo; presented: boolean } {
  const socket = req.socket as Partial<TLSSocket>;
  if (typeof socket.getPeerCertificate !== 'function') return { presented: false };
  const peer = socket.getPeerCertificate();
  if (!peer || Object.keys(peer).length === 0) return { presented: false };
  const username = values(peer.subject?.CN)[0];
  if (!socket.authorized || !username) return { presented: true };
  return { presented: true, user: { username, groups: values(peer.subject.O) } };
}

/** Node gives a string for one RDN value and an array for several. */
function values(field: string | string[] | undefined): string[] {
  if (field === undefined) return [];
  return Array.isArray(field) ? field : [field];
}

import { createHash, createPrivateKey, createPublicKey, randomUUID } from 'node:crypto';
import { importPKCS8, importSPKI, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { serviceAccountGroups, serviceAccountUsername, type UserInfo } from './user-info.ts';

/** The object a token is bound to (TokenRequest `spec.boundObjectRef`); the token dies with it. */
export interface BoundObject {
  kind: 'Pod' | 'Secret' | 'Node';
  name: string;
  uid: string;
  /** For Pod-bound tokens: the pod's node, recorded like upstream does. */
  nodeName?: string;
  nodeUid?: string;
}

export interface TokenRequestInput {
  namespace: string;
  name: string;
  uid: string;
  /** Empty means the API server's own audiences. */
  audiences: string[];
  expirationSeconds: number;
  boundObject?: BoundObject;
}

export interface IssuedToken {
  token: string;
  /** RFC 3339, as TokenRequest `status.expirationTimestamp`. */
  expirationTimestamp: string;
}

/** Issues and checks service-account JWTs (the TokenRequest API and bearer authentication). */
export interface ServiceAccountTokens {
  issue(input: TokenRequestInput): Promise<IssuedToken>;
  /** The token's user, or undefined when it is not ours, expired, or meant for none of `audiences` (default: the API audiences). */
  verify(token: string, audiences?: string[]): Promise<UserInfo | undefined>;
}

export interface ServiceAccountTokensConfig {
  privateKeyPem: string;
  publicKeyPem: string;
  /** `iss` claim, e.g. `https://kubernetes.default.svc.cluster.local`. */
  issuer: string;
  /** Audiences the API server itself accepts; defaults to `[issuer]` like kube-apiserver's `--api-audiences`. */
  apiAudiences?: string[];
  now: () => Date;
}

/** Upstream's private claim block under `kubernetes.io`. */
interface KubernetesClaims {
  namespace: string;
  serviceaccount: { name: string; uid: string };
  pod?: { name: string; uid: string };
  secret?: { name: string; uid: string };
  node?: { name: string; uid: string };
}

const EXTRA = 'authentication.kubernetes.io';

/** Creates the signer/verifier; the key may be ECDSA P-256 (ES256) or RSA (RS256). */
export function createServiceAccountTokens(config: ServiceAccountTokensConfig): ServiceAccountTokens {
  const alg = createPrivateKey(config.privateKeyPem).asymmetricKeyType === 'rsa' ? 'RS256' : 'ES256';
  const kid = keyId(config.publicKeyPem);
  const apiAudiences = config.apiAudiences ?? [config.issuer];
  const privateKey = importPKCS8(config.privateKeyPem, alg);
  const publicKey = importSPKI(config.publicKeyPem, alg);
  return {
    async issue(input) {
      const issuedAt = Math.floor(config.now().getTime() / 1000);
      const expiresAt = issuedAt + input.expirationSeconds;
      const token = await new SignJWT({ 'kubernetes.io': kubernetesClaims(input) })
        .setProtectedHeader({ alg, kid })
        .setIssuer(config.issuer)
        .setSubject(serviceAccountUsername(input.namespace, input.name))
        .setAudience(input.audiences.length > 0 ? input.audiences : apiAudiences)
        .setIssuedAt(issuedAt)
        .setNotBefore(issuedAt)
        .setExpirationTime(expiresAt)
        .setJti(randomUUID())
        .sign(await privateKey);
      return { token, expirationTimestamp: new Date(expiresAt * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z') };
    },

    async verify(token, audiences) {
      try {
        const { payload } = await jwtVerify(token, await publicKey, {
          issuer: config.issuer,
          audience: audiences && audiences.length > 0 ? audiences : apiAudiences,
          algorithms: [alg],
          currentDate: config.now(),
        });
        return userFromPayload(payload);
      } catch {
        return undefined;
      }
    },
  };
}

/** Key id as upstream derives it: base64url SHA-256 of the DER public key, so rotating keys is visible. */
function keyId(publicKeyPem: string): string {
  const der = createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('base64url');
}

function kubernetesClaims(input: TokenRequestInput): KubernetesClaims {
  const claims: KubernetesClaims = { namespace: input.namespace, serviceaccount: { name: input.name, uid: input.uid } };
  const bound = input.boundObject;
  if (bound?.kind === 'Pod') {
    claims.pod = { name: bound.name, uid: bound.uid };
    if (bound.nodeName) claims.node = { name: bound.nodeName, uid: bound.nodeUid ?? '' };
  } else if (bound?.kind === 'Secret') {
    claims.secret = { name: bound.name, uid: bound.uid };
  } else if (bound?.kind === 'Node') {
    claims.node = { name: bound.name, uid: bound.uid };
  }
  return claims;
}

function userFromPayload(payload: JWTPayload): UserInfo | undefined {
  const claims = readKubernetesClaims(payload['kubernetes.io']);
  if (!claims) return undefined;
  const username = serviceAccountUsername(claims.namespace, claims.serviceaccount.name);
  if (payload.sub !== username) return undefined;
  const extra: Record<string, string[]> = {};
  if (claims.pod) Object.assign(extra, { [`${EXTRA}/pod-name`]: [claims.pod.name], [`${EXTRA}/pod-uid`]: [claims.pod.uid] });
  if (claims.node) Object.assign(extra, { [`${EXTRA}/node-name`]: [claims.node.name], [`${EXTRA}/node-uid`]: [claims.node.uid] });
  if (payload.jti) extra[`${EXTRA}/credential-id`] = [`JTI=${payload.jti}`];
  return { username, uid: claims.serviceaccount.uid, groups: serviceAccountGroups(claims.namespace), extra };
}

function readKubernetesClaims(value: unknown): KubernetesClaims | undefined {
  if (!isRecord(value) || typeof value.namespace !== 'string') return undefined;
  const account = nameAndUid(value.serviceaccount);
  if (!account) return undefined;
  return {
    namespace: value.namespace,
    serviceaccount: account,
    pod: nameAndUid(value.pod),
    secret: nameAndUid(value.secret),
    node: nameAndUid(value.node),
  };
}

function nameAndUid(value: unknown): { name: string; uid: string } | undefined {
  if (!isRecord(value) || typeof value.name !== 'string') return undefined;
  return { name: value.name, uid: typeof value.uid === 'string' ? value.uid : '' };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

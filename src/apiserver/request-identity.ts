/**
 * The checks every request goes through before its handler, plain or upgraded: who is asking
 * (authentication, then impersonation) and whether RBAC lets them.
 */
import type { IncomingMessage } from 'node:http';
import type { Authenticator } from './auth/authenticator.ts';
import { forbiddenStatusMessage, type Attributes } from './auth/authorizer.ts';
import { applyImpersonation, ImpersonationError } from './auth/impersonation.ts';
import type { RbacAuthorizer } from './auth/rbac-authorizer.ts';
import type { UserInfo } from './auth/user-info.ts';
import { parseRequestPath, type RequestInfo } from './http/request-info.ts';
import { forbidden, StatusError, unauthorized } from './status-error.ts';

/** What identifying a request needs. */
export interface IdentityDeps {
  authenticator: Authenticator;
  authorizer: RbacAuthorizer;
}

/** A request's URL, its parsed path and the user it acts as. */
export interface IdentifiedRequest {
  url: URL;
  info: RequestInfo;
  user: UserInfo;
}

/** Authenticates (401 Status when nobody), applies `Impersonate-*` headers and parses the path. */
export async function identifyRequest(d: IdentityDeps, req: IncomingMessage): Promise<IdentifiedRequest> {
  const url = new URL(req.url ?? '/', 'https://localhost');
  const authenticated = await d.authenticator.authenticate(req);
  if (!authenticated) throw unauthorized();
  const user = await impersonate(d, req, authenticated);
  return { url, info: parseRequestPath(url.pathname), user };
}

/** Applies `Impersonate-*` headers after checking the caller may impersonate. */
async function impersonate(d: Pick<IdentityDeps, 'authorizer'>, req: IncomingMessage, user: UserInfo): Promise<UserInfo> {
  try {
    return await applyImpersonation(req, user, d.authorizer);
  } catch (err) {
    if (err instanceof ImpersonationError) throw new StatusError(err.code, err.reason, err.message);
    throw err;
  }
}

/** Throws the upstream-shaped 403 unless RBAC allows `attrs`. */
export async function authorize(d: Pick<IdentityDeps, 'authorizer'>, attrs: Attributes): Promise<void> {
  const decision = await d.authorizer.authorize(attrs);
  if (!decision.allowed) {
    const resource = attrs.resourceRequest ? (attrs.subresource ? `${attrs.resource ?? ''}/${attrs.subresource}` : attrs.resource) : undefined;
    throw forbidden(forbiddenStatusMessage(attrs, decision.reason), attrs.resourceRequest ? { name: attrs.name, group: attrs.apiGroup, kind: resource } : undefined);
  }
}

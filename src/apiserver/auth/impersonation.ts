import type { IncomingMessage } from 'node:http';
import { forbiddenStatusMessage, type Attributes, type Authorizer } from './authorizer.ts';
import {
  ALL_AUTHENTICATED,
  ALL_UNAUTHENTICATED,
  ANONYMOUS_USER,
  parseServiceAccountUsername,
  serviceAccountGroups,
  type UserInfo,
} from './user-info.ts';

/** Why an impersonation request was refused; the API server renders it as a Status with `code`/`reason`. */
export class ImpersonationError extends Error {
  constructor(
    readonly code: 403 | 500,
    readonly reason: 'Forbidden' | 'InternalError',
    message: string,
  ) {
    super(message);
    this.name = 'ImpersonationError';
  }
}

const USER_HEADER = 'impersonate-user';
const GROUP_HEADER = 'impersonate-group';
const UID_HEADER = 'impersonate-uid';
const EXTRA_PREFIX = 'impersonate-extra-';
const AUTHENTICATION_GROUP = 'authentication.k8s.io';

interface ImpersonationHeaders {
  username?: string;
  groups: string[];
  uid?: string;
  extra: Record<string, string[]>;
}

/**
 * Applies `Impersonate-User`/`-Group`/`-Uid`/`-Extra-<key>` headers: every requested identity part must be
 * allowed to `user` by the `impersonate` verb (on users, groups, serviceaccounts, uids, userextras/<key>),
 * else an {@link ImpersonationError} (403). Returns `user` itself when no such header is present.
 */
export async function applyImpersonation(req: IncomingMessage, user: UserInfo, authorizer: Authorizer): Promise<UserInfo> {
  const wanted = readHeaders(req);
  const extraKeys = Object.keys(wanted.extra);
  if (wanted.username === undefined) {
    if (wanted.groups.length === 0 && wanted.uid === undefined && extraKeys.length === 0) return user;
    const what = [...wanted.groups.map((g) => `group ${g}`), ...extraKeys.map((k) => `extra ${k}`), ...(wanted.uid ? [`uid ${wanted.uid}`] : [])];
    throw new ImpersonationError(500, 'InternalError', `Internal error occurred: requested [${what.join(' ')}] without impersonating a user`);
  }
  for (const attrs of checksFor(user, wanted.username, wanted)) {
    const decision = await authorizer.authorize(attrs);
    if (!decision.allowed) throw new ImpersonationError(403, 'Forbidden', forbiddenStatusMessage(attrs, decision.reason));
  }
  return impersonatedUser(wanted.username, wanted);
}

function readHeaders(req: IncomingMessage): ImpersonationHeaders {
  // headersDistinct keeps repeated headers apart; `headers` would join them with ", ".
  const headers = req.headersDistinct;
  const extra: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(headers)) {
    if (!name.startsWith(EXTRA_PREFIX) || !values) continue;
    const key = unescapeExtraKey(name.slice(EXTRA_PREFIX.length));
    extra[key] = [...(extra[key] ?? []), ...values];
  }
  return { username: headers[USER_HEADER]?.[0], groups: headers[GROUP_HEADER] ?? [], uid: headers[UID_HEADER]?.[0], extra };
}

/** Extra keys travel percent-encoded (header names cannot hold `/` reliably); a malformed escape stays literal. */
function unescapeExtraKey(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return encoded;
  }
}

/** One authorization check per impersonated identity part, in upstream's order. */
function checksFor(user: UserInfo, username: string, wanted: ImpersonationHeaders): Attributes[] {
  const base = { user, verb: 'impersonate', resourceRequest: true };
  const account = parseServiceAccountUsername(username);
  const checks: Attributes[] = [
    account
      ? { ...base, apiGroup: '', resource: 'serviceaccounts', namespace: account.namespace, name: account.name }
      : { ...base, apiGroup: AUTHENTICATION_GROUP, resource: 'users', name: username },
  ];
  for (const group of wanted.groups) checks.push({ ...base, apiGroup: AUTHENTICATION_GROUP, resource: 'groups', name: group });
  for (const [key, values] of Object.entries(wanted.extra)) {
    for (const value of values) checks.push({ ...base, apiGroup: AUTHENTICATION_GROUP, resource: 'userextras', subresource: key, name: value });
  }
  if (wanted.uid !== undefined) checks.push({ ...base, apiGroup: AUTHENTICATION_GROUP, resource: 'uids', name: wanted.uid });
  return checks;
}

/**
 * The identity the request continues as. A service account without explicit groups gets its fixed groups;
 * everyone but `system:anonymous` is also `system:authenticated` unless they asked for `system:unauthenticated`.
 */
function impersonatedUser(username: string, wanted: ImpersonationHeaders): UserInfo {
  const account = parseServiceAccountUsername(username);
  const groups = wanted.groups.length === 0 && account ? serviceAccountGroups(account.namespace) : [...wanted.groups];
  if (username === ANONYMOUS_USER) {
    if (!groups.includes(ALL_UNAUTHENTICATED)) groups.push(ALL_UNAUTHENTICATED);
  } else if (!groups.includes(ALL_AUTHENTICATED) && !groups.includes(ALL_UNAUTHENTICATED)) {
    groups.push(ALL_AUTHENTICATED);
  }
  const impersonated: UserInfo = { username, groups };
  if (wanted.uid !== undefined) impersonated.uid = wanted.uid;
  if (Object.keys(wanted.extra).length > 0) impersonated.extra = wanted.extra;
  return impersonated;
}

/** Who a request acts as, shaped like apiserver's `user.Info` and authentication.k8s.io `UserInfo`. */
export interface UserInfo {
  username: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

/** Upstream's privileged group: members pass every authorization check. */
export const SYSTEM_MASTERS = 'system:masters';
export const ALL_AUTHENTICATED = 'system:authenticated';
export const ALL_UNAUTHENTICATED = 'system:unauthenticated';
export const ANONYMOUS_USER = 'system:anonymous';
export const ALL_SERVICE_ACCOUNTS = 'system:serviceaccounts';

const SERVICE_ACCOUNT_PREFIX = 'system:serviceaccount:';

/** `system:serviceaccounts:<ns>`: the group every service account of a namespace belongs to. */
export function serviceAccountNamespaceGroup(namespace: string): string {
  return `${ALL_SERVICE_ACCOUNTS}:${namespace}`;
}

/** `system:serviceaccount:<ns>:<name>`: the username a service account authenticates as. */
export function serviceAccountUsername(namespace: string, name: string): string {
  return `${SERVICE_ACCOUNT_PREFIX}${namespace}:${name}`;
}

/** Splits a service-account username; undefined for anything else (including malformed ones). */
export function parseServiceAccountUsername(username: string): { namespace: string; name: string } | undefined {
  if (!username.startsWith(SERVICE_ACCOUNT_PREFIX)) return undefined;
  const parts = username.slice(SERVICE_ACCOUNT_PREFIX.length).split(':');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
  return { namespace: parts[0], name: parts[1] };
}

/** The groups upstream gives a service account: all service accounts plus those of its namespace. */
export function serviceAccountGroups(namespace: string): string[] {
  return [ALL_SERVICE_ACCOUNTS, serviceAccountNamespaceGroup(namespace)];
}

/** The identity of a request that carried no credentials at all. */
export function anonymousUser(): UserInfo {
  return { username: ANONYMOUS_USER, groups: [ALL_UNAUTHENTICATED] };
}

/** Returns `user` with `group` appended unless it is already there (never mutates `user`). */
export function withGroup(user: UserInfo, group: string): UserInfo {
  return user.groups.includes(group) ? user : { ...user, groups: [...user.groups, group] };
}

import type { UserInfo } from './user-info.ts';

/** What a request wants to do, shaped like apiserver's `authorizer.Attributes`. */
export interface Attributes {
  user: UserInfo;
  /** Kubernetes verb (`get`, `list`, `watch`, `create`, `impersonate`, …) or, for non-resource requests, the lower-case HTTP verb. */
  verb: string;
  resourceRequest: boolean;
  apiGroup?: string;
  apiVersion?: string;
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  /** Request path, for non-resource requests (`/healthz`, `/version`). */
  path?: string;
}

export interface Decision {
  allowed: boolean;
  /** Why, in upstream's words (`RBAC: allowed by …`); empty when nothing had an opinion. */
  reason: string;
}

/** Decides whether a request may proceed. Implementations never throw for "no": they answer `allowed: false`. */
export interface Authorizer {
  authorize(attrs: Attributes): Promise<Decision>;
}

/**
 * The sentence kube-apiserver puts after `<resource> "<name>" is forbidden: ` in a 403, e.g.
 * `User "jane" cannot list resource "pods" in API group "" in the namespace "default"`.
 */
export function forbiddenMessage(attrs: Attributes): string {
  const who = `User ${JSON.stringify(attrs.user.username)}`;
  if (!attrs.resourceRequest) return `${who} cannot ${attrs.verb} path ${JSON.stringify(attrs.path ?? '')}`;
  const resource = attrs.subresource ? `${attrs.resource ?? ''}/${attrs.subresource}` : (attrs.resource ?? '');
  const what = `${who} cannot ${attrs.verb} resource ${JSON.stringify(resource)} in API group ${JSON.stringify(attrs.apiGroup ?? '')}`;
  return attrs.namespace ? `${what} in the namespace ${JSON.stringify(attrs.namespace)}` : `${what} at the cluster scope`;
}

/**
 * The whole 403 message as kube-apiserver writes it: `pods "web" is forbidden: User … cannot get …`
 * (+ `: <reason>` when the authorizer gave one); `forbidden: …` when there is no resource.
 */
export function forbiddenStatusMessage(attrs: Attributes, reason: string): string {
  const detail = `${forbiddenMessage(attrs)}${reason ? `: ${reason}` : ''}`;
  const resource = attrs.resourceRequest ? (attrs.resource ?? '') : '';
  if (!resource) return `forbidden: ${detail}`;
  const qualified = attrs.apiGroup ? `${resource}.${attrs.apiGroup}` : resource;
  const named = attrs.name ? `${qualified} ${JSON.stringify(attrs.name)}` : qualified;
  return `${named} is forbidden: ${detail}`;
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResourceDefinition } from '../../api/resource-definition.ts';
import type { UserInfo } from '../auth/user-info.ts';
import type { Negotiated } from '../http/respond.ts';

/** Everything a resource handler needs about one request. */
export interface RequestScope {
  req: IncomingMessage;
  res: ServerResponse;
  query: URLSearchParams;
  r: ResourceDefinition;
  namespace?: string;
  name?: string;
  subresource?: string;
  user: UserInfo;
  negotiated: Negotiated;
  /** Aborted when the server shuts down. */
  signal: AbortSignal;
  /** Warnings gathered while serving, sent as `Warning:` headers. */
  warnings: string[];
}

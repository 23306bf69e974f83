import type { LocalSubjectAccessReview, SelfSubjectAccessReview, SelfSubjectRulesReview, SubjectAccessReview } from 'kubernetes-types/authorization/v1.js';
import type { KubeObject } from '../../api/types.ts';
import type { ApiContext } from '../api-context.ts';
import type { Authenticator } from '../auth/authenticator.ts';
import type { RbacAuthorizer } from '../auth/rbac-authorizer.ts';
import { ReviewError } from '../auth/review-error.ts';
import {
  answerLocalSubjectAccessReview,
  answerSelfSubjectAccessReview,
  answerSelfSubjectReview,
  answerSelfSubjectRulesReview,
  answerSubjectAccessReview,
  answerTokenReview,
} from '../auth/reviews.ts';
import { decodeObjectBody, readBody } from '../http/body.ts';
import { sendJson } from '../http/respond.ts';
import { invalid, methodNotAllowed, StatusError } from '../status-error.ts';
import { bindPod } from './subresources.ts';
import type { RequestScope } from './request-scope.ts';

export interface VirtualDeps {
  ctx: ApiContext;
  authenticator: Authenticator;
  authorizer: RbacAuthorizer;
  decodeProtobuf: (b: Buffer) => unknown;
}

/** Create-only resources answered at once and never stored: access reviews, token reviews, bindings. */
export async function handleVirtual(d: VirtualDeps, s: RequestScope): Promise<void> {
  if (s.req.method !== 'POST') throw methodNotAllowed(`the server does not allow this method on the requested resource`);
  const body = decodeObjectBody(await readBody(s.req), s.req.headers['content-type'], d.decodeProtobuf) as KubeObject;
  try {
    sendJson(s.res, 201, await answerReview(d, s, body));
  } catch (err) {
    if (err instanceof ReviewError) {
      if (err.code === 400) throw new StatusError(400, 'BadRequest', err.message);
      throw invalid(s.r.group, err.kind, '', err.fieldErrors);
    }
    throw err;
  }
}

async function answerReview(d: VirtualDeps, s: RequestScope, body: KubeObject): Promise<unknown> {
  switch (s.r.kind) {
    case 'SelfSubjectAccessReview':
      return answerSelfSubjectAccessReview(body as unknown as SelfSubjectAccessReview, s.user, d.authorizer);
    case 'SubjectAccessReview':
      return answerSubjectAccessReview(body as unknown as SubjectAccessReview, d.authorizer);
    case 'LocalSubjectAccessReview':
      return answerLocalSubjectAccessReview(s.namespace ?? '', body as unknown as LocalSubjectAccessReview, d.authorizer);
    case 'SelfSubjectRulesReview':
      return answerSelfSubjectRulesReview(body as unknown as SelfSubjectRulesReview, s.user, d.authorizer);
    case 'SelfSubjectReview':
      return answerSelfSubjectReview(s.user);
    case 'TokenReview':
      return answerTokenReview(body, d.authenticator);
    case 'Binding':
      await bindPod(d.ctx, s.namespace ?? '', body.metadata?.name ?? '', body);
      return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };
    default:
      throw methodNotAllowed(`${s.r.kind} is not served`);
  }
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResourceDefinition, TablePrinter } from '../api/resource-definition.ts';
import type { KubeObject } from '../api/types.ts';
import type { ApiContext } from './api-context.ts';
import type { Authenticator } from './auth/authenticator.ts';
import type { RbacAuthorizer } from './auth/rbac-authorizer.ts';
import type { ServiceAccountTokens } from './auth/service-account-tokens.ts';
import type { KubeletClient } from './kubelet/kubelet-client.ts';
import { METRICS_GROUP } from './metrics/metrics-resources.ts';
import type { MetricsApi } from './metrics/metrics-api.ts';
import { handleNonResource } from './handlers/non-resource.ts';
import { handleResource } from './handlers/resource-handler.ts';
import type { RequestScope } from './handlers/request-scope.ts';
import { subresourceHandlers } from './handlers/subresources.ts';
import { handleVirtual } from './handlers/virtual-resources.ts';
import { proxyVerb } from './handlers/proxy/proxy-address.ts';
import { authorize, identifyRequest } from './request-identity.ts';
import { negotiate, sendStatusError } from './http/respond.ts';
import type { OpenApiCache } from './openapi/openapi-cache.ts';
import { decodeProtobufObject, ProtobufDecodeError } from './protobuf/index.ts';
import type { CatalogState } from './registry/catalog-state.ts';
import { presentObject, toStorageObject } from './registry/versions.ts';
import { badRequest, internalError, isStatusError, StatusError } from './status-error.ts';

export interface RequestHandlerDeps {
  ctx: ApiContext;
  state: () => CatalogState;
  printer: (r: ResourceDefinition) => TablePrinter;
  authenticator: Authenticator;
  authorizer: RbacAuthorizer;
  saTokens: ServiceAccountTokens;
  openapi: OpenApiCache;
  ready: () => boolean;
  serverAddress: () => string;
  signal: AbortSignal;
  bookmarkIntervalMs: number;
  /** Reaches node agents for pods/log, exec, attach, portforward and metrics. */
  kubelet: KubeletClient;
  metrics: MetricsApi;
  /** The Prometheus text served on GET /metrics. */
  prometheus: () => Promise<{ contentType: string; body: string }>;
  log: (msg: string, fields?: Record<string, unknown>) => void;
}

function verbOf(method: string, hasName: boolean, query: URLSearchParams): string {
  switch (method) {
    case 'GET':
    case 'HEAD':
      if (query.get('watch') === 'true' || query.get('watch') === '1') return 'watch';
      return hasName ? 'get' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return hasName ? 'delete' : 'deletecollection';
    default:
      return method.toLowerCase();
  }
}

function decodeProtobuf(body: Buffer): unknown {
  try {
    return decodeProtobufObject(body);
  } catch (err) {
    if (err instanceof ProtobufDecodeError) {
      throw err.failure === 'unsupported' ? new StatusError(415, 'UnsupportedMediaType', err.message) : badRequest(err.message);
    }
    throw err;
  }
}

/** The HTTP entry point: authenticate, route, authorize, serve; every failure becomes a Status. */
export function createRequestHandler(d: RequestHandlerDeps): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const resourceDeps = {
    ctx: d.ctx,
    decodeProtobuf,
    present: (s: RequestScope, o: KubeObject) => presentObject(s.r, o),
    toStorage: (s: RequestScope, o: KubeObject) => toStorageObject(s.r, o),
    printer: d.printer,
    bookmarkIntervalMs: d.bookmarkIntervalMs,
    subresources: subresourceHandlers({ ctx: d.ctx, saTokens: d.saTokens, kubelet: d.kubelet, decodeProtobuf }),
  };
  return async (req, res) => {
    const warnings: string[] = [];
    try {
      const { url, info, user } = await identifyRequest(d, req);
      const negotiated = negotiate(req.headers.accept);
      const method = req.method ?? 'GET';
      if (info.kind === 'nonResource' || !info.resource) {
        await authorize(d, { user, verb: method.toLowerCase(), resourceRequest: false, path: url.pathname });
        const served = await handleNonResource(
          { catalog: d.state().catalog, openapiV3: () => d.openapi.v3(), openapiV2Json: () => d.openapi.v2Json(), openapiV2Protobuf: () => d.openapi.v2Protobuf(), serverAddress: d.serverAddress(), ready: d.ready, prometheus: d.prometheus },
          req,
          res,
          url.pathname,
          negotiated,
        );
        if (!served) throw new StatusError(404, 'NotFound', 'the server could not find the requested resource', {});
        return;
      }
      const r = d.state().catalog.find(info.group, info.version, info.resource);
      if (!r) throw new StatusError(404, 'NotFound', 'the server could not find the requested resource', {});
      if (!r.namespaced && info.namespace) throw new StatusError(404, 'NotFound', 'the server could not find the requested resource', {});
      const verb = info.subresource === 'proxy' ? proxyVerb(method) : verbOf(method, !!info.name, url.searchParams);
      await authorize(d, { user, verb, resourceRequest: true, apiGroup: r.group, apiVersion: r.version, resource: r.plural, subresource: info.subresource, namespace: info.namespace, name: info.name });
      const scope: RequestScope = { req, res, query: url.searchParams, r, namespace: info.namespace, name: info.name, subresource: info.subresource, user, negotiated, signal: d.signal, warnings };
      if (r.group === METRICS_GROUP) return await d.metrics.serve(scope);
      if (r.virtual && !info.subresource) return await handleVirtual({ ctx: d.ctx, authenticator: d.authenticator, authorizer: d.authorizer, decodeProtobuf }, scope);
      await handleResource(resourceDeps, scope);
    } catch (err) {
      respondError(d, res, err, warnings);
    }
  };
}

function respondError(d: RequestHandlerDeps, res: ServerResponse, err: unknown, warnings: string[]): void {
  if (res.headersSent) {
    if (!res.writableEnded) res.end();
    return;
  }
  if (isStatusError(err)) return sendStatusError(res, err, warnings);
  d.log('request failed', { err: err instanceof Error ? err.stack : String(err) });
  sendStatusError(res, internalError(err instanceof Error ? err.message : String(err)), warnings);
}

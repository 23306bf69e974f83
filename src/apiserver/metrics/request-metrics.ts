/**
 * The API server's request metrics, with kube-apiserver's names, labels and buckets:
 * `apiserver_request_total`, `apiserver_request_duration_seconds`,
 * `apiserver_current_inflight_requests` and `apiserver_longrunning_requests`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { classifyRequest, type RequestFacts, type RequestLabels } from './request-labels.ts';

/** Upstream's buckets for apiserver_request_duration_seconds (seconds). */
export const REQUEST_DURATION_BUCKETS = [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60];

const LABELS = ['verb', 'dry_run', 'group', 'version', 'resource', 'subresource', 'scope', 'component'] as const;
const LONG_RUNNING_LABELS = ['verb', 'group', 'version', 'resource', 'subresource', 'scope', 'component'] as const;

/** Observes plain requests and upgrades; one instance per API server, on that server's registry. */
export interface RequestMetrics {
  /** Call when a request arrives; counts it once its response has finished or the client left. */
  observe(req: IncomingMessage, res: ServerResponse): void;
  /** Call when an upgrade (exec/attach/portforward) arrives; tracked as long-running until the socket closes. */
  observeUpgrade(req: IncomingMessage, socket: Duplex): void;
}

function withoutDryRun(l: RequestLabels): Omit<RequestLabels, 'dry_run'> {
  const { dry_run: _dryRun, ...rest } = l;
  return rest;
}

/**
 * Registers the request metrics on `registry`. `known` tells whether the catalog serves a
 * resource (requests for unknown ones are counted without their path, bounding cardinality);
 * `now` returns seconds from a monotonic clock.
 */
export function createRequestMetrics(d: { registry: Registry; known: RequestFacts['known']; now?: () => number }): RequestMetrics {
  const now = d.now ?? (() => performance.now() / 1000);
  const registers = [d.registry];
  const total = new Counter({
    name: 'apiserver_request_total',
    help: 'Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.',
    labelNames: [...LABELS, 'code'],
    registers,
  });
  const duration = new Histogram({
    name: 'apiserver_request_duration_seconds',
    help: 'Response latency distribution in seconds for each verb, dry run value, group, version, resource, subresource, scope and component.',
    labelNames: LABELS,
    buckets: REQUEST_DURATION_BUCKETS,
    registers,
  });
  const inflight = new Gauge({ name: 'apiserver_current_inflight_requests', help: 'Number of requests currently being served by this apiserver, per request kind (long-running requests excluded).', labelNames: ['request_kind'], registers });
  // Both kinds exist from the start, as upstream reports them.
  inflight.set({ request_kind: 'readOnly' }, 0);
  inflight.set({ request_kind: 'mutating' }, 0);
  const longRunning = new Gauge({ name: 'apiserver_longrunning_requests', help: 'Gauge of all active long-running apiserver requests broken out by verb, group, version, resource, scope and component.', labelNames: LONG_RUNNING_LABELS, registers });

  return {
    observe(req, res) {
      const c = classifyRequest({ method: req.method ?? 'GET', url: req.url ?? '/', contentType: req.headers['content-type'], known: d.known });
      const started = now();
      const lr = withoutDryRun(c.labels);
      if (c.longRunning) longRunning.inc(lr);
      else inflight.inc({ request_kind: c.requestKind });
      let counted = false;
      const finish = () => {
        if (counted) return;
        counted = true;
        if (c.longRunning) longRunning.dec(lr);
        else inflight.dec({ request_kind: c.requestKind });
        total.inc({ ...c.labels, code: String(res.statusCode) });
        if (c.labels.verb !== 'WATCH' && c.labels.verb !== 'CONNECT') duration.observe(c.labels, now() - started);
      };
      res.once('finish', finish);
      res.once('close', finish);
    },
    observeUpgrade(req, socket) {
      const c = classifyRequest({ method: req.method ?? 'GET', url: req.url ?? '/', upgrade: true, known: d.known });
      const lr = withoutDryRun(c.labels);
      longRunning.inc(lr);
      socket.once('close', () => longRunning.dec(lr));
    },
  };
}

/**
 * The API server's Prometheus registry: request metrics, storage metrics, watch events and
 * Node.js process metrics, served on `GET /metrics`. One registry per API server (never
 * prom-client's global one), because `minato server` runs the API server and a node agent — each
 * with its own `/metrics` — in one process.
 */
import { collectDefaultMetrics, Counter, Registry } from 'prom-client';
import type { ResourceDefinition } from '../../api/resource-definition.ts';
import type { Store } from '../../storage/types.ts';
import { createRequestMetrics, type RequestMetrics } from './request-metrics.ts';
import { registerStorageObjectCounts } from './storage-object-counts.ts';
import { instrumentStore } from './store-metrics.ts';

/** The text a scrape gets. */
export interface Exposition {
  contentType: string;
  body: string;
}

/** What the API server records and serves. */
export interface ApiServerMetrics {
  /** Shared with in-process components (controllers, scheduler) so one scrape covers them. */
  registry: Registry;
  requests: RequestMetrics;
  /** Counts one event sent to a watch client (`apiserver_watch_events_total`). */
  watchEventSent(r: ResourceDefinition): void;
  /** The store wrapped with per-operation latency, and counted for `apiserver_storage_objects`. */
  instrumentStore(store: Store, signal: AbortSignal): Store;
  /** Renders every metric in the Prometheus text format. */
  expose(): Promise<Exposition>;
}

/** prom-client's gauges named `*_total`, a suffix Prometheus reserves for counters (promtool flags them). */
const MISNAMED_DEFAULTS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

/** Node.js process metrics (process_cpu_seconds_total, process_resident_memory_bytes, nodejs_*). */
function registerProcessMetrics(registry: Registry): void {
  collectDefaultMetrics({ register: registry });
  for (const name of MISNAMED_DEFAULTS) registry.removeSingleMetric(name);
}

/** Creates the API server's registry and its metrics. `known` tells whether the catalog serves a resource. */
export function createApiServerMetrics(d: { known: (group: string, version: string, resource: string) => boolean }): ApiServerMetrics {
  const registry = new Registry();
  registerProcessMetrics(registry);
  const requests = createRequestMetrics({ registry, known: d.known });
  const watchEvents = new Counter({ name: 'apiserver_watch_events_total', help: 'Number of events sent in watch clients', labelNames: ['group', 'version', 'kind'], registers: [registry] });
  return {
    registry,
    requests,
    watchEventSent: (r) => watchEvents.inc({ group: r.group, version: r.version, kind: r.kind }),
    instrumentStore(store, signal) {
      registerStorageObjectCounts({ registry, store, signal });
      return instrumentStore(store, registry);
    },
    async expose() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}

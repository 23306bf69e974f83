/**
 * `GET /metrics` (the agent's own registry: kubelet_* and process metrics) and
 * `GET /metrics/cadvisor` (per-container usage), behind the same client-certificate check as every
 * other route of the agent's server.
 */
import type { ServerResponse } from 'node:http';
import { replyStatus } from './replies.ts';

/** A scrape's answer. */
export interface Exposition {
  contentType: string;
  body: string;
}

/** The two Prometheus endpoints of the agent. */
export interface MetricsRoutes {
  kubelet(): Promise<Exposition>;
  cadvisor(): Promise<Exposition>;
}

/** Serves `/metrics` and `/metrics/cadvisor`; 404 for other paths under /metrics or when the agent has no metrics. */
export async function serveMetrics(routes: MetricsRoutes | undefined, res: ServerResponse, pathname: string): Promise<void> {
  const path = pathname.replace(/\/+$/, '');
  const render = path === '/metrics' ? routes?.kubelet : path === '/metrics/cadvisor' ? routes?.cadvisor : undefined;
  if (!render) return replyStatus(res, 404, `the agent does not serve ${pathname}`);
  const scraped = await render();
  res.writeHead(200, { 'Content-Type': scraped.contentType, 'Content-Length': Buffer.byteLength(scraped.body) });
  res.end(scraped.body);
}

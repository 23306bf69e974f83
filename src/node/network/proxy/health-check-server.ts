/**
 * `healthCheckNodePort` of LoadBalancer Services with externalTrafficPolicy Local: an external load
 * balancer asks each node whether it has local endpoints (kube-proxy's contract: 200 with the count
 * when it has, 503 when not) and only sends traffic to nodes that answer 200, since the others drop it.
 */
import { createServer, type Server } from 'node:http';
import type { ProxyState } from './types.ts';

/** What one health check port reports. */
export interface ServiceHealth {
  namespace: string;
  name: string;
  /** Ready endpoints of the Service on this node (distinct addresses). */
  localEndpoints: number;
}

/** The health check ports of `state`, by port. A port claimed twice keeps its first Service. */
export function healthChecksOf(state: ProxyState): Map<number, ServiceHealth> {
  const out = new Map<number, ServiceHealth>();
  for (const svc of state.services) {
    if (!svc.healthCheckNodePort || svc.externalTrafficPolicy !== 'Local' || out.has(svc.healthCheckNodePort)) continue;
    const local = new Set(svc.endpoints.filter((e) => e.ready && e.local).map((e) => e.ip));
    out.set(svc.healthCheckNodePort, { namespace: svc.namespace, name: svc.name, localEndpoints: local.size });
  }
  return out;
}

/** The answer for one Service: status code and JSON body, as kube-proxy sends them. */
export function healthResponse(h: ServiceHealth): { status: number; body: string } {
  const body = JSON.stringify({ service: { namespace: h.namespace, name: h.name }, localEndpoints: h.localEndpoints, serviceProxyHealthy: true });
  return { status: h.localEndpoints > 0 ? 200 : 503, body };
}

/** Configuration of {@link HealthCheckServers}. */
export interface HealthCheckServersConfig {
  /** The node address to listen on. */
  address: string;
  /** A port that cannot be opened (e.g. taken by another process) is reported here and retried on the next sync. */
  onError?: (port: number, err: Error) => void;
}

/** One HTTP listener per health check port, opened and closed to follow {@link sync}. */
export class HealthCheckServers {
  private readonly servers = new Map<number, Server>();
  private current = new Map<number, ServiceHealth>();

  constructor(private readonly config: HealthCheckServersConfig) {}

  /** Ports currently listening. */
  ports(): number[] {
    return [...this.servers.keys()].sort((a, b) => a - b);
  }

  /** Serves exactly `checks`: counts change at once, new ports open, dropped ports close. */
  async sync(checks: Map<number, ServiceHealth>): Promise<void> {
    this.current = checks;
    for (const [port, server] of [...this.servers]) {
      if (checks.has(port)) continue;
      this.servers.delete(port);
      await closeServer(server);
    }
    for (const port of checks.keys()) {
      if (this.servers.has(port)) continue;
      await this.open(port).catch((err: unknown) => this.config.onError?.(port, err instanceof Error ? err : new Error(String(err))));
    }
  }

  /** Closes every listener. */
  async close(): Promise<void> {
    const all = [...this.servers.values()];
    this.servers.clear();
    this.current = new Map();
    await Promise.all(all.map(closeServer));
  }

  private open(port: number): Promise<void> {
    const server = createServer((req, res) => {
      const health = this.current.get(port);
      if (!health) return void res.writeHead(404).end();
      const { status, body } = healthResponse(health);
      res.writeHead(status, { 'content-type': 'application/json', 'x-content-type-options': 'nosniff', 'x-load-balancing-endpoint-weight': String(health.localEndpoints) });
      res.end(body);
    });
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.config.address, () => {
        server.off('error', reject);
        this.servers.set(port, server);
        resolve();
      });
    });
  }
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

import assert from 'node:assert/strict';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { after, describe, it } from 'node:test';
import { HealthCheckServers, healthChecksOf, healthResponse } from './health-check-server.ts';
import type { ProxyService } from './types.ts';

const lb: ProxyService = {
  namespace: 'shop',
  name: 'web',
  type: 'LoadBalancer',
  clusterIP: '10.96.0.10',
  ports: [{ port: 80, protocol: 'TCP', nodePort: 30080 }],
  externalTrafficPolicy: 'Local',
  healthCheckNodePort: 32001,
  endpoints: [
    { ip: '10.244.1.2', port: 8080, ready: true, local: true },
    { ip: '10.244.1.2', port: 8443, ready: true, local: true },
    { ip: '10.244.1.3', port: 8080, ready: false, local: true },
    { ip: '10.244.2.2', port: 8080, ready: true },
  ],
};

/** A port free a moment ago (health check ports are fixed numbers, so the test cannot pass 0). */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function get(port: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: '/healthz', agent: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject).end();
  });
}

describe('healthChecksOf / healthResponse', () => {
  it('counts distinct ready local endpoint addresses of ETP Local Services only', () => {
    const checks = healthChecksOf({ services: [lb, { ...lb, name: 'cluster', externalTrafficPolicy: 'Cluster', healthCheckNodePort: 32002 }] });
    assert.deepEqual([...checks], [[32001, { namespace: 'shop', name: 'web', localEndpoints: 1 }]]);
  });

  it('answers 200 with local endpoints, 503 without, in kube-proxy\'s shape', () => {
    assert.deepEqual(healthResponse({ namespace: 'a', name: 'b', localEndpoints: 2 }), { status: 200, body: '{"service":{"namespace":"a","name":"b"},"localEndpoints":2,"serviceProxyHealthy":true}' });
    assert.equal(healthResponse({ namespace: 'a', name: 'b', localEndpoints: 0 }).status, 503);
  });
});

describe('HealthCheckServers', () => {
  const servers = new HealthCheckServers({ address: '127.0.0.1' });
  after(() => servers.close());

  it('opens, updates and closes listeners to follow the state', async () => {
    const port = await freePort();
    await servers.sync(new Map([[port, { namespace: 'shop', name: 'web', localEndpoints: 1 }]]));
    assert.deepEqual(servers.ports(), [port]);
    assert.deepEqual(await get(port), { status: 200, body: '{"service":{"namespace":"shop","name":"web"},"localEndpoints":1,"serviceProxyHealthy":true}' });
    await servers.sync(new Map([[port, { namespace: 'shop', name: 'web', localEndpoints: 0 }]]));
    assert.equal((await get(port)).status, 503);
    // A port already taken is reported, not thrown.
    const errors: number[] = [];
    const clash = new HealthCheckServers({ address: '127.0.0.1', onError: (p) => errors.push(p) });
    await clash.sync(new Map([[port, { namespace: 'x', name: 'y', localEndpoints: 1 }]]));
    assert.deepEqual(errors, [port]);
    assert.deepEqual(clash.ports(), []);
    await servers.sync(new Map());
    assert.deepEqual(servers.ports(), []);
    await assert.rejects(get(port), /ECONNREFUSED/);
  });
});

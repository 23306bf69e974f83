import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../api/types.ts';
import { allocateServiceAddresses } from './service-allocator.ts';

const cfg = { serviceCidr: '10.96.0.0/16', nodePortRange: { min: 30000, max: 30002 } };
const svc = (spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'ns' }, spec });

describe('allocateServiceAddresses: healthCheckNodePort', () => {
  it('gives a LoadBalancer with externalTrafficPolicy Local a free port of the NodePort range', () => {
    const other = svc({ type: 'NodePort', ports: [{ port: 1, nodePort: 30000 }] });
    const s = svc({ type: 'LoadBalancer', externalTrafficPolicy: 'Local', ports: [{ port: 80 }] });
    allocateServiceAddresses(s, [other], cfg);
    const spec = s.spec as { healthCheckNodePort?: number; ports: Array<{ nodePort?: number }> };
    assert.deepEqual([spec.ports[0]?.nodePort, spec.healthCheckNodePort].sort(), [30001, 30002]);
  });

  it('keeps a requested port, refuses a taken one, and gives none (or drops one) without ETP Local', () => {
    const keep = svc({ type: 'LoadBalancer', externalTrafficPolicy: 'Local', healthCheckNodePort: 30002, ports: [{ port: 80 }] });
    allocateServiceAddresses(keep, [], cfg);
    assert.equal((keep.spec as { healthCheckNodePort?: number }).healthCheckNodePort, 30002);
    const clash = svc({ type: 'LoadBalancer', externalTrafficPolicy: 'Local', healthCheckNodePort: 30002, ports: [{ port: 80 }] });
    assert.throws(() => allocateServiceAddresses(clash, [keep], cfg), /already allocated/);
    const cluster = svc({ type: 'LoadBalancer', externalTrafficPolicy: 'Cluster', healthCheckNodePort: 30002, ports: [{ port: 80 }] });
    allocateServiceAddresses(cluster, [], cfg);
    assert.equal((cluster.spec as { healthCheckNodePort?: number }).healthCheckNodePort, undefined);
  });
});

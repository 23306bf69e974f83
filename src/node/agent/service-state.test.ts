import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Service } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { serviceNetworkState } from './service-state.ts';

const svc = (name: string, spec: Service['spec'], status?: Service['status']): Service => ({ metadata: { namespace: 'ns', name }, spec, status });
const slice = (service: string, endpoints: EndpointSlice['endpoints'], ports: EndpointSlice['ports']): EndpointSlice => ({
  metadata: { namespace: 'ns', name: `${service}-x`, labels: { 'kubernetes.io/service-name': service } }, addressType: 'IPv4', endpoints, ports,
});

describe('serviceNetworkState', () => {
  it('turns a LoadBalancer Service and its slice into proxy state with ingress IPs', () => {
    const state = serviceNetworkState(
      [svc('web', { type: 'LoadBalancer', clusterIP: '10.96.0.10', ports: [{ name: 'http', port: 80, nodePort: 30080 }] }, { loadBalancer: { ingress: [{ ip: '127.240.0.1' }] } })],
      [slice('web', [{ addresses: ['10.244.1.2'], conditions: { ready: true } }, { addresses: ['10.244.1.3'], conditions: { ready: false } }], [{ name: 'http', port: 8080, protocol: 'TCP' }])],
    );
    assert.deepEqual(state.proxy.services, [{
      namespace: 'ns', name: 'web', type: 'LoadBalancer', clusterIP: '10.96.0.10', sessionAffinity: 'None',
      ports: [{ name: 'http', port: 80, protocol: 'TCP', nodePort: 30080 }],
      loadBalancerIPs: ['127.240.0.1'],
      endpoints: [{ ip: '10.244.1.2', port: 8080, ready: true, portName: 'http' }, { ip: '10.244.1.3', port: 8080, ready: false, portName: 'http' }],
    }]);
  });

  it('keeps headless Services out of the proxy but gives DNS their endpoints with hostnames', () => {
    const state = serviceNetworkState(
      [svc('db', { clusterIP: 'None', ports: [{ name: 'pg', port: 5432 }] })],
      [slice('db', [{ addresses: ['10.244.1.7'], hostname: 'db-0' }], [{ name: 'pg', port: 5432 }])],
    );
    assert.deepEqual(state.proxy.services, []);
    assert.deepEqual(state.dns.get('ns/db'), {
      clusterIP: 'None',
      ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }],
      endpoints: [{ ip: '10.244.1.7', ready: true, hostname: 'db-0', ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }] }],
    });
  });

  it('matches unnamed single ports and ignores slices of other Services or families', () => {
    const state = serviceNetworkState(
      [svc('one', { clusterIP: '10.96.0.11', ports: [{ port: 80 }] })],
      [slice('one', [{ addresses: ['10.244.1.4'] }], [{ port: 8080 }]), slice('other', [{ addresses: ['10.244.1.5'] }], [{ port: 1 }]), { ...slice('one', [{ addresses: ['fd00::1'] }], [{ port: 8080 }]), addressType: 'IPv6' }],
    );
    assert.deepEqual(state.proxy.services[0]?.endpoints, [{ ip: '10.244.1.4', port: 8080, ready: true }]);
  });
});

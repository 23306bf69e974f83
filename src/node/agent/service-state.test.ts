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

  it('marks endpoints on this node local and carries the traffic policies and health check port', () => {
    const spec: Service['spec'] = { type: 'LoadBalancer', clusterIP: '10.96.0.12', externalTrafficPolicy: 'Local', internalTrafficPolicy: 'Local', healthCheckNodePort: 31999, ports: [{ port: 80, nodePort: 30081 }] };
    const slices = [slice('lb', [{ addresses: ['10.244.1.8'], nodeName: 'node-a' }, { addresses: ['10.244.2.8'], nodeName: 'node-b' }], [{ port: 8080 }])];
    const state = serviceNetworkState([svc('lb', spec)], slices, 'node-a');
    const p = state.proxy.services[0];
    assert.deepEqual(p?.endpoints, [{ ip: '10.244.1.8', port: 8080, ready: true, local: true }, { ip: '10.244.2.8', port: 8080, ready: true }]);
    assert.equal(p?.externalTrafficPolicy, 'Local');
    assert.equal(p?.internalTrafficPolicy, 'Local');
    assert.equal(p?.healthCheckNodePort, 31999);
    // Without a node name nothing is local; a ClusterIP Service has no external policy or health check.
    assert.deepEqual(serviceNetworkState([svc('lb', spec)], slices).proxy.services[0]?.endpoints.filter((e) => e.local), []);
    const plain = serviceNetworkState([svc('lb', { ...spec, type: 'ClusterIP' })], slices, 'node-a').proxy.services[0];
    assert.equal(plain?.externalTrafficPolicy, undefined);
    assert.equal(plain?.healthCheckNodePort, undefined);
  });
});


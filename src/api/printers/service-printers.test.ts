import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../types.ts';
import { endpointSlicePrinter, endpointsPrinter, ingressClassPrinter, ingressPrinter, networkPolicyPrinter, servicePrinter } from './service-printers.ts';
import { NOW, cellMap, dur, headers, object } from './test-builders.ts';

function service(spec: Record<string, unknown>, status: Record<string, unknown> = {}): KubeObject {
  return object('v1', 'Service', 'web', dur({ m: 5 }), { spec, status });
}

test('service columns match kubectl get svc', () => {
  assert.deepEqual(headers(servicePrinter), { normal: ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE'], wide: ['SELECTOR'] });
});

test('ClusterIP and NodePort services', () => {
  const ports = [{ port: 80, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }];
  const svc = service({ type: 'ClusterIP', clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ports, selector: { app: 'web' } });
  assert.deepEqual(servicePrinter.cells(svc, NOW), ['web', 'ClusterIP', '10.96.0.10', '<none>', '80/TCP,53/UDP', '5m', 'app=web']);
  const np = service({ type: 'NodePort', clusterIP: '10.96.0.11', ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }], externalIPs: ['1.2.3.4'] });
  assert.deepEqual(servicePrinter.cells(np, NOW).slice(1, 5), ['NodePort', '10.96.0.11', '1.2.3.4', '80:30080/TCP']);
  const headless = service({ type: 'ClusterIP', clusterIP: 'None' });
  assert.deepEqual(servicePrinter.cells(headless, NOW).slice(2, 5), ['None', '<none>', '<none>']);
  assert.equal(servicePrinter.cells(headless, NOW)[6], '<none>');
});

test('LoadBalancer EXTERNAL-IP is <pending> until an ingress is reported', () => {
  const spec = { type: 'LoadBalancer', clusterIP: '10.96.0.12', ports: [{ port: 443, nodePort: 31443, protocol: 'TCP' }] };
  assert.equal(cellMap(servicePrinter, service(spec))['External-IP'], '<pending>');
  const lb = service(spec, { loadBalancer: { ingress: [{ ip: '203.0.113.9' }, { hostname: 'lb.example.com' }, { ip: '203.0.113.9' }] } });
  assert.equal(cellMap(servicePrinter, lb)['External-IP'], '203.0.113.9,lb.example.com');
  const both = service({ ...spec, externalIPs: ['198.51.100.1'] }, { loadBalancer: { ingress: [{ ip: '203.0.113.9' }] } });
  assert.equal(cellMap(servicePrinter, both)['External-IP'], '203.0.113.9,198.51.100.1');
});

test('ExternalName services show the external name', () => {
  const svc = service({ type: 'ExternalName', externalName: 'db.example.com' });
  assert.deepEqual(servicePrinter.cells(svc, NOW).slice(1, 5), ['ExternalName', '<none>', 'db.example.com', '<none>']);
});

test('endpoints: up to three ip:port pairs, then + N more...', () => {
  const ep = (subsets: unknown[]) => object('v1', 'Endpoints', 'web', dur({ m: 1 }), { subsets });
  assert.equal(endpointsPrinter.cells(ep([]), NOW)[1], '<none>');
  const addresses = [{ ip: '10.1.0.1' }, { ip: '10.1.0.2' }];
  assert.equal(endpointsPrinter.cells(ep([{ addresses, ports: [{ port: 8080 }] }]), NOW)[1], '10.1.0.1:8080,10.1.0.2:8080');
  const many = ep([{ addresses, ports: [{ port: 80 }, { port: 443 }] }]);
  assert.deepEqual(endpointsPrinter.cells(many, NOW), ['web', '10.1.0.1:80,10.1.0.2:80,10.1.0.1:443 + 1 more...', '60s']);
  assert.equal(endpointsPrinter.cells(ep([{ addresses: [{ ip: 'fd00::1' }], ports: [{ port: 80 }] }]), NOW)[1], '[fd00::1]:80');
  assert.equal(endpointsPrinter.cells(ep([{ addresses }]), NOW)[1], '10.1.0.1,10.1.0.2');
});

test('endpointslice: ADDRESSTYPE PORTS ENDPOINTS', () => {
  assert.deepEqual(headers(endpointSlicePrinter).normal, ['NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE']);
  const slice = object('discovery.k8s.io/v1', 'EndpointSlice', 'web-abc', dur({ m: 2 }), {
    addressType: 'IPv4',
    ports: [{ port: 80, name: 'http' }, { name: 'metrics' }],
    endpoints: [{ addresses: ['10.1.0.1'] }, { addresses: ['10.1.0.2', '10.1.0.3'] }, { addresses: ['10.1.0.4'] }],
  });
  assert.deepEqual(endpointSlicePrinter.cells(slice, NOW), ['web-abc', 'IPv4', '80,metrics', '10.1.0.1,10.1.0.2,10.1.0.3 + 1 more...', '2m']);
  const empty = object('discovery.k8s.io/v1', 'EndpointSlice', 'e', 0, { addressType: 'IPv4' });
  assert.deepEqual(endpointSlicePrinter.cells(empty, NOW).slice(2, 4), ['<unset>', '<unset>']);
});

test('ingress: CLASS HOSTS ADDRESS PORTS', () => {
  assert.deepEqual(headers(ingressPrinter).normal, ['NAME', 'CLASS', 'HOSTS', 'ADDRESS', 'PORTS', 'AGE']);
  const ing = object('networking.k8s.io/v1', 'Ingress', 'web', dur({ h: 5 }), {
    spec: { ingressClassName: 'nginx', rules: [{ host: 'a.example.com' }, {}, { host: 'b.example.com' }], tls: [{ hosts: ['a.example.com'] }] },
    status: { loadBalancer: { ingress: [{ ip: '192.0.2.1' }] } },
  });
  assert.deepEqual(ingressPrinter.cells(ing, NOW), ['web', 'nginx', 'a.example.com,b.example.com', '192.0.2.1', '80, 443', '5h']);
  const bare = object('networking.k8s.io/v1', 'Ingress', 'bare', 0, { spec: { rules: [{}] } });
  assert.deepEqual(ingressPrinter.cells(bare, NOW).slice(1, 5), ['<none>', '*', '', '80']);
  const rules = ['a', 'b', 'c', 'd', 'e'].map((h) => ({ host: `${h}.io` }));
  const many = object('networking.k8s.io/v1', 'Ingress', 'many', 0, { spec: { rules } });
  assert.equal(cellMap(ingressPrinter, many).Hosts, 'a.io,b.io,c.io + 2 more...');
});

test('ingressclass and networkpolicy', () => {
  const ic = object('networking.k8s.io/v1', 'IngressClass', 'nginx', dur({ d: 1 }), {
    spec: { controller: 'k8s.io/ingress-nginx', parameters: { apiGroup: 'k8s.example.com', kind: 'IngressParameters', name: 'external-lb' } },
  });
  assert.deepEqual(ingressClassPrinter.cells(ic, NOW), ['nginx', 'k8s.io/ingress-nginx', 'IngressParameters.k8s.example.com/external-lb', '24h']);
  const np = object('networking.k8s.io/v1', 'NetworkPolicy', 'deny', 0, { spec: { podSelector: {} } });
  assert.deepEqual(networkPolicyPrinter.cells(np, NOW), ['deny', '<none>', '0s']);
  const sel = object('networking.k8s.io/v1', 'NetworkPolicy', 'web', 0, { spec: { podSelector: { matchExpressions: [{ key: 'role', operator: 'Exists' }] } } });
  assert.equal(networkPolicyPrinter.cells(sel, NOW)[1], 'role');
});

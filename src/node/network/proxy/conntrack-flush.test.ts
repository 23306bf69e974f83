import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { conntrackArgs, flushConntrack, staleUdpFlows } from './conntrack-flush.ts';
import type { ProxyService, ProxyState } from './types.ts';

const dns: ProxyService = {
  namespace: 'kube-system',
  name: 'dns',
  type: 'LoadBalancer',
  clusterIP: '10.96.0.10',
  loadBalancerIPs: ['127.240.0.5'],
  ports: [
    { name: 'dns', port: 53, protocol: 'UDP', nodePort: 30053 },
    { name: 'dns-tcp', port: 53, protocol: 'TCP', nodePort: 30054 },
  ],
  endpoints: [
    { ip: '10.244.1.2', port: 5353, portName: 'dns', ready: true },
    { ip: '10.244.1.3', port: 5353, portName: 'dns', ready: true },
    { ip: '10.244.1.2', port: 5353, portName: 'dns-tcp', ready: true },
  ],
};
const state = (...services: ProxyService[]): ProxyState => ({ services });
const args = (s: ProxyState | undefined, n: ProxyState): string[] => staleUdpFlows(s, n).map((f) => conntrackArgs(f).join(' '));

describe('staleUdpFlows', () => {
  it('flushes flows to a removed UDP endpoint, for every frontend address and the NodePort', () => {
    const next = state({ ...dns, endpoints: dns.endpoints.filter((e) => e.ip !== '10.244.1.3') });
    assert.deepEqual(args(state(dns), next), [
      '-D -p udp --orig-dst 10.96.0.10 --orig-port-dst 53 --reply-src 10.244.1.3 --reply-port-src 5353',
      '-D -p udp --orig-dst 127.240.0.5 --orig-port-dst 53 --reply-src 10.244.1.3 --reply-port-src 5353',
      '-D -p udp --orig-port-dst 30053 --reply-src 10.244.1.3 --reply-port-src 5353',
    ]);
  });

  it('treats an endpoint that stopped being ready like a removed one; TCP endpoints never flush', () => {
    const next = state({ ...dns, endpoints: dns.endpoints.map((e) => ({ ...e, ready: e.ip !== '10.244.1.2' })) });
    const out = args(state(dns), next);
    assert.equal(out.length, 3);
    assert.ok(out.every((a) => a.includes('--reply-src 10.244.1.2 ') && !a.includes('30054')), out.join('\n'));
  });

  it('flushes every endpoint of a deleted Service', () => {
    const out = args(state(dns), state());
    assert.equal(out.length, 6);
    assert.deepEqual([...new Set(out.map((a) => /--reply-src (\S+)/.exec(a)?.[1]))].sort(), ['10.244.1.2', '10.244.1.3']);
  });

  it('on a first endpoint, flushes the undNATed flows made while there was none', () => {
    const empty = { ...dns, endpoints: [] };
    assert.deepEqual(args(state(empty), state(dns)), [
      '-D -p udp --orig-dst 10.96.0.10 --orig-port-dst 53',
      '-D -p udp --orig-dst 127.240.0.5 --orig-port-dst 53',
      '-D -p udp --orig-port-dst 30053',
    ]);
    assert.deepEqual(args(state(), state({ ...dns, type: 'ClusterIP', loadBalancerIPs: [] })), ['-D -p udp --orig-dst 10.96.0.10 --orig-port-dst 53']);
  });

  it('flushes nothing when nothing UDP changed, on the first apply, or for headless Services', () => {
    assert.deepEqual(args(state(dns), state({ ...dns, endpoints: [...dns.endpoints].reverse() })), []);
    assert.deepEqual(args(undefined, state(dns)), []);
    const headless = { ...dns, clusterIP: 'None' };
    assert.deepEqual(args(state(headless), state()), []);
  });
});

describe('flushConntrack', () => {
  it('runs one conntrack per filter, counts "0 flow entries" as success and reports real failures', async () => {
    const calls: string[] = [];
    const filters = staleUdpFlows(state(dns), state());
    await flushConntrack(filters, async (cmd, a) => {
      calls.push(`${cmd} ${a.join(' ')}`);
      return { code: 1, stdout: '', stderr: 'conntrack v1.4.7 (conntrack-tools): 0 flow entries have been deleted.\n' };
    });
    assert.equal(calls.length, filters.length);
    assert.ok(calls.every((c) => c.startsWith('conntrack -D -p udp ')));
    await assert.rejects(
      flushConntrack(filters.slice(0, 2), async () => ({ code: 2, stdout: '', stderr: 'conntrack: invalid option' })),
      /conntrack flush failed: conntrack -D .*invalid option; conntrack -D/,
    );
  });
});

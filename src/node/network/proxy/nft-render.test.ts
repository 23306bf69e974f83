import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readyEndpointsFor, renderProxyTable } from './nft-render.ts';
import type { ProxyService } from './types.ts';

const web: ProxyService = {
  namespace: 'shop',
  name: 'web',
  type: 'LoadBalancer',
  clusterIP: '10.96.0.10',
  ports: [
    { name: 'http', port: 80, protocol: 'TCP', nodePort: 30080 },
    { name: 'dns', port: 53, protocol: 'UDP' },
  ],
  loadBalancerIPs: ['127.240.0.1'],
  externalIPs: ['127.241.0.9'],
  endpoints: [
    { ip: '10.244.1.3', port: 8080, portName: 'http', ready: true },
    { ip: '10.244.1.2', port: 8080, portName: 'http', ready: true },
    { ip: '10.244.1.4', port: 8080, portName: 'http', ready: false },
    { ip: '10.244.1.2', port: 5353, portName: 'dns', ready: true },
  ],
};
const opts = { table: 'minato-t', clusterCidr: '10.244.0.0/16' };

describe('renderProxyTable', () => {
  const text = renderProxyTable({ services: [web] }, opts);

  it('maps ClusterIP, external and LB addresses of each port to the service chain', () => {
    assert.match(text, /10\.96\.0\.10 \. tcp \. 80 : goto svc_shop_web_http_tcp/);
    assert.match(text, /127\.240\.0\.1 \. tcp \. 80 : goto svc_shop_web_http_tcp/);
    assert.match(text, /127\.241\.0\.9 \. tcp \. 80 : goto svc_shop_web_http_tcp/);
    assert.match(text, /10\.96\.0\.10 \. udp \. 53 : goto svc_shop_web_dns_udp/);
    assert.match(text, /map node-ports \{[^}]*tcp \. 30080 : goto svc_shop_web_http_tcp/);
  });

  it('spreads over ready endpoints only, and DNATs with the right protocol', () => {
    assert.match(text, /numgen random mod 2 vmap \{ 0 : goto ep_shop_web_http_tcp_10\.244\.1\.2_8080, 1 : goto ep_shop_web_http_tcp_10\.244\.1\.3_8080 \}/);
    assert.doesNotMatch(text, /10\.244\.1\.4/);
    assert.match(text, /meta l4proto udp dnat to 10\.244\.1\.2:5353/);
    assert.match(text, /ip saddr != 10\.244\.0\.0\/16 meta mark set meta mark \| 0x4000/);
    assert.match(text, /masquerade/);
  });

  it('rejects Services without ready endpoints and skips headless and ExternalName Services', () => {
    const none = renderProxyTable(
      {
        services: [
          { ...web, endpoints: [] },
          { ...web, name: 'headless', clusterIP: 'None' },
          { ...web, name: 'ext', type: 'ExternalName', clusterIP: undefined },
        ],
      },
      opts,
    );
    assert.match(none, /set no-endpoints \{[^}]*10\.96\.0\.10 \. tcp \. 80/);
    assert.match(none, /set no-endpoint-node-ports \{[^}]*tcp \. 30080/);
    assert.doesNotMatch(none, /headless|_ext_/);
    assert.doesNotMatch(none, /chain svc_/);
  });

  it('renders ClientIP affinity sets and carries live entries over', () => {
    const sticky = renderProxyTable(
      { services: [{ ...web, sessionAffinity: 'ClientIP', sessionAffinityTimeoutSeconds: 600 }] },
      { ...opts, affinity: new Map([['aff_shop_web_http_tcp_10.244.1.2_8080', [{ ip: '10.244.1.9', expires: 300 }]]]) },
    );
    assert.match(sticky, /set aff_shop_web_http_tcp_10\.244\.1\.2_8080 \{ type ipv4_addr; flags dynamic,timeout; timeout 600s; elements = \{ 10\.244\.1\.9 timeout 600s expires 300s \}; \}/);
    assert.match(sticky, /ip saddr @aff_shop_web_http_tcp_10\.244\.1\.3_8080 goto ep_shop_web_http_tcp_10\.244\.1\.3_8080/);
    assert.match(sticky, /update @aff_shop_web_http_tcp_10\.244\.1\.2_8080 \{ ip saddr \}/);
  });

  it('NodePort is not programmed for ClusterIP Services', () => {
    const t = renderProxyTable({ services: [{ ...web, type: 'ClusterIP' }] }, opts);
    assert.doesNotMatch(t, /30080/);
  });

  it('matches endpoints to ports by name; unnamed endpoints fit a single-port Service', () => {
    const single: ProxyService = { ...web, ports: [{ port: 80, protocol: 'TCP' }], endpoints: [{ ip: '10.0.0.1', port: 1, ready: true }] };
    assert.equal(readyEndpointsFor(single, single.ports[0]!).length, 1);
    assert.deepEqual(readyEndpointsFor(web, web.ports[1]!).map((e) => e.port), [5353]);
  });

  describe('traffic policies', () => {
    const two: ProxyService = {
      ...web,
      ports: [{ name: 'http', port: 80, protocol: 'TCP', nodePort: 30080 }],
      endpoints: [
        { ip: '10.244.1.2', port: 8080, portName: 'http', ready: true, local: true },
        { ip: '10.244.2.2', port: 8080, portName: 'http', ready: true, local: false },
      ],
    };
    const chainText = (t: string, name: string): string => new RegExp(`chain ${name} \\{[^}]*\\}`).exec(t)?.[0] ?? '';

    it('externalTrafficPolicy Local: external addresses and NodePort go to local endpoints without masquerade; pods and the host to all', () => {
      const t = renderProxyTable({ services: [{ ...two, externalTrafficPolicy: 'Local' }] }, opts);
      assert.match(t, /10\.96\.0\.10 \. tcp \. 80 : goto svc_shop_web_http_tcp/);
      assert.match(t, /127\.240\.0\.1 \. tcp \. 80 : goto ext_shop_web_http_tcp/);
      assert.match(t, /127\.241\.0\.9 \. tcp \. 80 : goto ext_shop_web_http_tcp/);
      assert.match(t, /tcp \. 30080 : goto ext_shop_web_http_tcp/);
      const ext = chainText(t, 'ext_shop_web_http_tcp');
      assert.match(ext, /ip saddr 10\.244\.0\.0\/16 goto svc_shop_web_http_tcp\n\s+fib saddr type local goto svc_shop_web_http_tcp\n\s+goto loc_shop_web_http_tcp/);
      const loc = chainText(t, 'loc_shop_web_http_tcp');
      assert.doesNotMatch(loc, /meta mark set/);
      assert.match(loc, /numgen random mod 1 vmap \{ 0 : goto ep_shop_web_http_tcp_10\.244\.1\.2_8080 \}/);
      assert.match(chainText(t, 'svc_shop_web_http_tcp'), /numgen random mod 2/);
    });

    it('externalTrafficPolicy Local with no local endpoint drops outside clients but still serves pods and the host', () => {
      const remote = { ...two, externalTrafficPolicy: 'Local' as const, endpoints: two.endpoints.map((e) => ({ ...e, local: false })) };
      const t = renderProxyTable({ services: [remote] }, opts);
      assert.match(chainText(t, 'ext_shop_web_http_tcp'), /goto svc_shop_web_http_tcp\n\s+drop/);
      assert.doesNotMatch(t, /loc_shop/);
      assert.doesNotMatch(t, /set no-endpoints \{[^}]*10\.96/); // has endpoints: not rejected
    });

    it('internalTrafficPolicy Local: the ClusterIP uses local endpoints (masquerading outside sources), or drops', () => {
      const t = renderProxyTable({ services: [{ ...two, internalTrafficPolicy: 'Local' }] }, opts);
      assert.match(t, /10\.96\.0\.10 \. tcp \. 80 : goto int_shop_web_http_tcp/);
      assert.match(t, /127\.240\.0\.1 \. tcp \. 80 : goto svc_shop_web_http_tcp/);
      const int = chainText(t, 'int_shop_web_http_tcp');
      assert.match(int, /ip saddr != 10\.244\.0\.0\/16 meta mark set/);
      assert.match(int, /numgen random mod 1 vmap \{ 0 : goto ep_shop_web_http_tcp_10\.244\.1\.2_8080 \}/);
      const none = renderProxyTable({ services: [{ ...two, internalTrafficPolicy: 'Local', endpoints: two.endpoints.map((e) => ({ ...e, local: false })) }] }, opts);
      assert.match(none, /10\.96\.0\.10 \. tcp \. 80 : drop/);
    });

    it('with affinity, a local-only path remembers only local endpoints', () => {
      const t = renderProxyTable({ services: [{ ...two, externalTrafficPolicy: 'Local', sessionAffinity: 'ClientIP' }] }, opts);
      const loc = chainText(t, 'loc_shop_web_http_tcp');
      assert.match(loc, /ip saddr @aff_shop_web_http_tcp_10\.244\.1\.2_8080 goto/);
      assert.doesNotMatch(loc, /10\.244\.2\.2/);
    });
  });
});

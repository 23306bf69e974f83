import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isProxyableIp, parseProxyId, proxiedResourceOf, proxyVerb, splitProxyPath } from './proxy-address.ts';

describe('parseProxyId', () => {
  it('splits name, name:port and scheme:name:port', () => {
    assert.deepEqual(parseProxyId('web'), { scheme: '', name: 'web', port: '' });
    assert.deepEqual(parseProxyId('web:8080'), { scheme: '', name: 'web', port: '8080' });
    assert.deepEqual(parseProxyId('web:http'), { scheme: '', name: 'web', port: 'http' });
    assert.deepEqual(parseProxyId('https:web:8443'), { scheme: 'https', name: 'web', port: '8443' });
    assert.deepEqual(parseProxyId('http:web:'), { scheme: 'http', name: 'web', port: '' });
    assert.deepEqual(parseProxyId(':web:80'), { scheme: '', name: 'web', port: '80' });
  });

  it('refuses an empty name, an unknown scheme and too many parts', () => {
    for (const bad of ['', ':80', 'ftp:web:21', 'a:b:c:d', 'https::443']) assert.equal(parseProxyId(bad), undefined, bad);
  });
});

describe('proxyVerb', () => {
  it('maps methods to RBAC verbs as upstream, whatever the query', () => {
    const verbs = Object.fromEntries(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'CONNECT'].map((m) => [m, proxyVerb(m)]));
    assert.deepEqual(verbs, { GET: 'get', HEAD: 'get', POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete', OPTIONS: '', CONNECT: '' });
  });
});

describe('splitProxyPath', () => {
  it('keeps the target path escaped and tells a bare /proxy from /proxy/', () => {
    assert.deepEqual(splitProxyPath('/api/v1/nodes/n1/proxy/metrics/cadvisor'), { prefix: '/api/v1/nodes/n1/proxy', path: '/metrics/cadvisor' });
    assert.deepEqual(splitProxyPath('/api/v1/namespaces/ns/pods/https:p:8443/proxy/a%2Fb/'), { prefix: '/api/v1/namespaces/ns/pods/https:p:8443/proxy', path: '/a%2Fb/' });
    assert.deepEqual(splitProxyPath('/api/v1/namespaces/ns/services/s:http/proxy'), { prefix: '/api/v1/namespaces/ns/services/s:http/proxy', path: '' });
    assert.deepEqual(splitProxyPath('/api/v1/namespaces/ns/services/s/proxy/'), { prefix: '/api/v1/namespaces/ns/services/s/proxy', path: '/' });
    // A target path that itself mentions a proxy URL is the target's.
    assert.deepEqual(splitProxyPath('/api/v1/nodes/n1/proxy/api/v1/nodes/x/proxy/y'), { prefix: '/api/v1/nodes/n1/proxy', path: '/api/v1/nodes/x/proxy/y' });
  });

  it('matches nothing else', () => {
    for (const p of ['/api/v1/nodes/n1', '/api/v1/nodes/n1/proxyx', '/apis/apps/v1/deployments/d/proxy', '/api/v1/nodes//proxy']) assert.equal(splitProxyPath(p), undefined, p);
  });
});

describe('proxiedResourceOf', () => {
  const base = { group: '', version: 'v1', subresource: 'proxy', name: 'x' };
  it('accepts cluster-scoped nodes and namespaced pods and services only', () => {
    assert.equal(proxiedResourceOf({ ...base, resource: 'nodes' }), 'nodes');
    assert.equal(proxiedResourceOf({ ...base, resource: 'pods', namespace: 'ns' }), 'pods');
    assert.equal(proxiedResourceOf({ ...base, resource: 'services', namespace: 'ns' }), 'services');
    assert.equal(proxiedResourceOf({ ...base, resource: 'nodes', namespace: 'ns' }), undefined);
    assert.equal(proxiedResourceOf({ ...base, resource: 'pods' }), undefined);
    assert.equal(proxiedResourceOf({ ...base, resource: 'configmaps', namespace: 'ns' }), undefined);
    assert.equal(proxiedResourceOf({ ...base, resource: 'pods', namespace: 'ns', subresource: 'log' }), undefined);
    assert.equal(proxiedResourceOf({ ...base, resource: 'pods', namespace: 'ns', group: 'apps' }), undefined);
  });
});

describe('isProxyableIp', () => {
  it('allows global unicast (private ranges included) and refuses host-local addresses', () => {
    for (const ok of ['10.244.0.5', '192.168.1.1', '8.8.8.8', '240.0.0.1', 'fd00::1', '2001:db8::1', '::ffff:10.0.0.1']) assert.equal(isProxyableIp(ok), true, ok);
    for (const bad of ['', 'localhost', '127.0.0.1', '127.1.2.3', '0.0.0.0', '255.255.255.255', '169.254.169.254', '224.0.0.1', '::', '::1', 'fe80::1', 'ff02::1', '::ffff:127.0.0.1']) {
      assert.equal(isProxyableIp(bad), false, bad);
    }
  });
});

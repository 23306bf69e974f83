/**
 * The proxy subresources on a real in-process API server: nodes/proxy reaches a real agent server
 * (client-certificate TLS), RBAC decides by the method's verb, and pods/proxy and services/proxy
 * resolve their targets (pod IP, port names, ready endpoints) or fail with upstream's Statuses.
 * Forwarding to pod addresses is covered by the unit tests and the root e2e test: here the pod
 * IPs are unroutable documentation addresses, resolved but never dialled.
 */
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { after, before, describe, it } from 'node:test';
import type { CertAndKey } from '../../src/apiserver/auth/pki-certs.ts';
import type { KubeletClient } from '../../src/apiserver/kubelet/kubelet-client.ts';
import { resolveProxyTarget } from '../../src/apiserver/handlers/proxy/proxy-targets.ts';
import { isStatusError } from '../../src/apiserver/status-error.ts';
import type { ResourceRef } from '../../src/client/resource-ref.ts';
import { startStreamingNode, type StreamingNode } from '../support/streaming-node.ts';
import { startTestCluster, type TestCluster } from '../support/test-cluster.ts';

const ref = (group: string, resource: string, kind: string, namespaced = true): ResourceRef => ({ group, version: 'v1', resource, kind, namespaced });
const PODS = ref('', 'pods', 'Pod');
const SERVICES = ref('', 'services', 'Service');
const ENDPOINTS = ref('', 'endpoints', 'Endpoints');
const CLUSTER_ROLES = ref('rbac.authorization.k8s.io', 'clusterroles', 'ClusterRole', false);
const CLUSTER_ROLE_BINDINGS = ref('rbac.authorization.k8s.io', 'clusterrolebindings', 'ClusterRoleBinding', false);

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

interface Status {
  kind: string;
  code: number;
  reason: string;
  message: string;
}

describe('proxy subresources on the API server', () => {
  let cluster: TestCluster;
  let node: StreamingNode;
  let alice: CertAndKey;
  let url: URL;

  /** One HTTPS request to the API server as `who` (default: the admin). */
  const call = (method: string, path: string, opts: { who?: CertAndKey; body?: string } = {}) =>
    new Promise<Answer>((resolve, reject) => {
      const who = opts.who ?? cluster.server.pki.admin;
      const req = request({ host: url.hostname, port: url.port, method, path, ca: cluster.server.pki.ca.cert, cert: who.cert, key: who.key }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.once('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.once('error', reject);
      req.end(opts.body);
    });
  const statusOf = (a: Answer): Status => JSON.parse(a.body) as Status;

  before(async () => {
    cluster = await startTestCluster();
    node = await startStreamingNode(cluster, 'proxy-node');
    url = new URL(cluster.server.url);
    alice = await cluster.server.pki.issueClientCert('alice', []);
  });

  after(async () => {
    await node?.stop();
    await cluster?.stop();
  });

  it('lists nodes/proxy, pods/proxy and services/proxy in discovery with the proxy verbs', async () => {
    const list = JSON.parse((await call('GET', '/api/v1')).body) as { resources: Array<{ name: string; verbs: string[] }> };
    for (const name of ['nodes/proxy', 'pods/proxy', 'services/proxy']) {
      assert.deepEqual(list.resources.find((r) => r.name === name)?.verbs, ['create', 'delete', 'get', 'patch', 'update'], name);
    }
  });

  it("reaches the node agent's API with the API server's client certificate", async () => {
    const health = await call('GET', '/api/v1/nodes/proxy-node/proxy/healthz');
    assert.equal(health.status, 200, health.body);
    assert.equal(health.body, 'ok');
    const summary = await call('GET', '/api/v1/nodes/proxy-node/proxy/stats/summary');
    assert.equal(summary.status, 200, summary.body);
    assert.equal((JSON.parse(summary.body) as { node: { nodeName: string } }).node.nodeName, 'proxy-node');
    // `https:name:kubeletPort` is the agent too (upstream's form of the same address).
    const explicit = await call('GET', `/api/v1/nodes/https:proxy-node:${node.agent.port}/proxy/healthz`);
    assert.equal(explicit.body, 'ok');
  });

  it("passes the agent's own refusals through, status and body", async () => {
    const post = await call('POST', '/api/v1/nodes/proxy-node/proxy/healthz', { body: 'x' });
    assert.equal(post.status, 405);
    assert.match(post.body, /POST is not allowed on \/healthz/);
    const missing = await call('GET', '/api/v1/nodes/proxy-node/proxy/no/such/path?a=1');
    assert.equal(missing.status, 404);
    assert.match(missing.body, /the agent does not serve \/no\/such\/path/);
  });

  it('redirects a bare …/proxy to …/proxy/ as upstream, keeping the query', async () => {
    const r = await call('GET', '/api/v1/nodes/proxy-node/proxy?x=1');
    assert.equal(r.status, 301);
    assert.equal(r.headers.location, '/api/v1/nodes/proxy-node/proxy/?x=1');
  });

  it('answers unknown objects with 404 and malformed names with 400', async () => {
    const node404 = await call('GET', '/api/v1/nodes/nope/proxy/healthz');
    assert.equal(node404.status, 404);
    assert.equal(statusOf(node404).message, 'nodes "nope" not found');
    const pod404 = await call('GET', '/api/v1/namespaces/default/pods/nope:80/proxy/');
    assert.equal(statusOf(pod404).code, 404);
    assert.equal(statusOf(pod404).message, 'pods "nope" not found');
    const svc404 = await call('GET', '/api/v1/namespaces/default/services/nope:http/proxy/');
    assert.equal(statusOf(svc404).message, 'services "nope" not found');
    const bad = await call('GET', '/api/v1/namespaces/default/pods/ftp:x:21/proxy/');
    assert.equal(bad.status, 400);
    assert.equal(statusOf(bad).message, 'invalid pod request "ftp:x:21"');
  });

  it('refuses, by the verb of the method, users without the proxy subresource', async () => {
    const denied = await call('GET', '/api/v1/nodes/proxy-node/proxy/healthz', { who: alice });
    assert.equal(denied.status, 403);
    const status = statusOf(denied);
    assert.equal(status.reason, 'Forbidden');
    assert.match(status.message, /User "alice" cannot get resource "nodes\/proxy" in API group "" at the cluster scope/);
    await cluster.client.create(CLUSTER_ROLES, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'node-proxy-reader' }, rules: [{ apiGroups: [''], resources: ['nodes/proxy'], verbs: ['get'] }] });
    await cluster.client.create(CLUSTER_ROLE_BINDINGS, {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'alice-node-proxy' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'node-proxy-reader' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice' }],
    });
    assert.equal((await call('GET', '/api/v1/nodes/proxy-node/proxy/healthz', { who: alice })).body, 'ok');
    // `?watch=true` is the target's business: still the `get` verb.
    assert.notEqual((await call('GET', '/api/v1/nodes/proxy-node/proxy/healthz?watch=true', { who: alice })).status, 403);
    const post = await call('POST', '/api/v1/nodes/proxy-node/proxy/healthz', { who: alice, body: '' });
    assert.equal(post.status, 403);
    assert.match(statusOf(post).message, /cannot create resource "nodes\/proxy"/);
    const del = await call('DELETE', '/api/v1/nodes/proxy-node/proxy/healthz', { who: alice });
    assert.match(statusOf(del).message, /cannot delete resource "nodes\/proxy"/);
  });

  it('refuses pods whose IP is missing or host-local (400 address not allowed)', async () => {
    await node.runPod('default', 'loopback-pod', { main: ['sleep', '3600'] }); // a host process: pod IP 127.0.0.1
    const loopback = await call('GET', '/api/v1/namespaces/default/pods/loopback-pod/proxy/');
    assert.equal(loopback.status, 400);
    assert.equal(statusOf(loopback).message, 'address not allowed');
    await cluster.client.create(PODS, pod('no-ip'));
    const noIp = await call('GET', '/api/v1/namespaces/default/pods/no-ip:80/proxy/');
    assert.equal(statusOf(noIp).message, 'address not allowed');
  });

  describe('target resolution', () => {
    const kubelet = {} as KubeletClient; // pods and services never ask the agent
    const resolve = (resource: 'pods' | 'services', name: string) => resolveProxyTarget({ ctx: cluster.server.ctx, kubelet, pick: () => 0 }, resource, 'default', name);
    const failure = async (resource: 'pods' | 'services', name: string): Promise<string> => {
      try {
        await resolve(resource, name);
      } catch (err) {
        if (isStatusError(err)) return `${err.code} ${err.message}`;
        throw err;
      }
      return 'resolved';
    };

    before(async () => {
      await runningPod('web-a', '192.0.2.10');
      await runningPod('web-b', '192.0.2.11');
      await cluster.client.create(SERVICES, {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'web', namespace: 'default' },
        spec: { ports: [{ name: 'http', port: 80, targetPort: 8080 }, { name: 'admin', port: 9000 }] },
      });
      await cluster.client.create(ENDPOINTS, {
        apiVersion: 'v1',
        kind: 'Endpoints',
        metadata: { name: 'web', namespace: 'default' },
        subsets: [
          // web-gone's address belongs to no pod any more: skipped, as upstream validates each address.
          { addresses: [address('web-gone', '192.0.2.99'), address('web-a', '192.0.2.10')], notReadyAddresses: [address('web-b', '192.0.2.11')], ports: [{ name: 'http', port: 8080 }] },
        ],
      });
    });

    it('sends pods to their IP: the first container port, a named one, or the one asked for', async () => {
      assert.deepEqual(await resolve('pods', 'web-a'), { scheme: 'http', host: '192.0.2.10', port: 8080 });
      assert.deepEqual(await resolve('pods', 'web-a:metrics'), { scheme: 'http', host: '192.0.2.10', port: 9100 });
      assert.deepEqual(await resolve('pods', 'https:web-a:8443'), { scheme: 'https', host: '192.0.2.10', port: 8443 });
      assert.equal(await failure('pods', 'web-a:nosuch'), '503 error trying to reach service: unknown port "nosuch"');
    });

    it('sends services to a ready endpoint whose pod still has the address, by port name or number', async () => {
      assert.deepEqual(await resolve('services', 'web:http'), { scheme: 'http', host: '192.0.2.10', port: 8080 });
      assert.deepEqual(await resolve('services', 'https:web:80'), { scheme: 'https', host: '192.0.2.10', port: 8080 });
      assert.equal(await failure('services', 'web:81'), '503 no service port 81 found for service "web"');
      // The admin port has no endpoints: only not-ready or missing ones.
      assert.equal(await failure('services', 'web:admin'), '503 no endpoints available for service "web:admin"');
    });

    it('answers 503 over HTTP for a Service without endpoints, as kubectl sees it', async () => {
      await cluster.client.create(SERVICES, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'idle', namespace: 'default' }, spec: { ports: [{ port: 80 }] } });
      await cluster.client.create(ENDPOINTS, { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'idle', namespace: 'default' }, subsets: [] });
      const r = await call('GET', '/api/v1/namespaces/default/services/idle/proxy/');
      assert.equal(r.status, 503);
      assert.deepEqual(statusOf(r), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'no endpoints available for service "idle"', reason: 'ServiceUnavailable', code: 503 });
    });
  });

  function pod(name: string) {
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'default' },
      spec: { containers: [{ name: 'main', image: 'x', ports: [{ containerPort: 8080 }, { name: 'metrics', containerPort: 9100 }] }] },
    };
  }

  async function runningPod(name: string, ip: string): Promise<void> {
    const created = await cluster.client.create(PODS, pod(name));
    await cluster.client.updateStatus(PODS, { ...created, status: { phase: 'Running', podIP: ip, podIPs: [{ ip }] } });
  }

  function address(podName: string, ip: string) {
    return { ip, targetRef: { kind: 'Pod', namespace: 'default', name: podName } };
  }
});

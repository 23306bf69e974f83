import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LimitRange, Pod, ResourceQuota } from 'kubernetes-types/core/v1.js';
import { ApiError } from '../../src/client/api-error.ts';
import { R } from '../../src/client/resource-ref.ts';
import { runControllerManager } from '../../src/controllers/controller-manager.ts';
import { createResourceQuotaController } from '../../src/controllers/resourcequota/resourcequota-controller.ts';
import { startTestCluster, type TestCluster } from '../support/test-cluster.ts';
import { eventually } from '../support/eventually.ts';

const NS = 'quota';

const pod = (name: string, resources?: Record<string, Record<string, string>>): Pod => ({
  metadata: { name, namespace: NS },
  spec: { containers: [{ name: 'app', image: 'nginx', ...(resources ? { resources } : {}) }] },
});

async function rejection(p: Promise<unknown>): Promise<ApiError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(err instanceof ApiError, `expected an API error, got ${String(err)}`);
  return err;
}

/** ResourceQuota admission and controller, LimitRange admission, against a real API server. */
describe('quota and limit ranges', () => {
  let cluster: TestCluster;
  const stop = new AbortController();
  let manager: Promise<void>;

  before(async () => {
    cluster = await startTestCluster();
    await cluster.client.create(R.namespaces, { metadata: { name: NS } });
    manager = runControllerManager({ client: cluster.client, leaderElection: false, controllers: { resourcequota: createResourceQuotaController } }, stop.signal);
  });

  after(async () => {
    stop.abort();
    await manager;
    await cluster.stop();
  });

  it('refuses a pod over the pods quota with upstream message and shows usage in status', async () => {
    const { client } = cluster;
    await client.create(R.resourcequotas, { metadata: { name: 'q', namespace: NS }, spec: { hard: { pods: '2', 'count/configmaps': '5' } } } as ResourceQuota);
    await client.create(R.pods, pod('p1'));
    await client.create(R.pods, pod('p2'));
    await client.create(R.configmaps, { metadata: { name: 'c', namespace: NS } });
    const err = await rejection(client.create(R.pods, pod('p3')));
    assert.equal(err.code, 403);
    assert.equal(err.reason, 'Forbidden');
    assert.equal(err.message, 'pods "p3" is forbidden: exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2');
    const q = await eventually(async () => {
      const got = await client.get<ResourceQuota>(R.resourcequotas, NS, 'q');
      assert.deepEqual(got.status?.used, { 'count/configmaps': '1', pods: '2' });
      return got;
    });
    assert.deepEqual(q.status?.hard, { 'count/configmaps': '5', pods: '2' });
    await client.delete(R.pods, NS, 'p1', { gracePeriodSeconds: 0 });
    await eventually(async () => {
      const got = await client.get<ResourceQuota>(R.resourcequotas, NS, 'q');
      assert.equal(got.status?.used?.pods, '1');
    });
    await client.create(R.pods, pod('p3'));
  });

  it('requires limits when a quota constrains them', async () => {
    const { client } = cluster;
    await client.create(R.namespaces, { metadata: { name: 'quota-cpu' } });
    await client.create(R.resourcequotas, { metadata: { name: 'compute', namespace: 'quota-cpu' }, spec: { hard: { 'limits.cpu': '1', 'requests.memory': '1Gi' } } } as ResourceQuota);
    const missing = await rejection(client.create(R.pods, { ...pod('bare'), metadata: { name: 'bare', namespace: 'quota-cpu' } }));
    assert.equal(missing.code, 403);
    assert.equal(missing.message, 'pods "bare" is forbidden: failed quota: compute: must specify limits.cpu for: app; requests.memory for: app');
    const sized = (name: string, cpu: string) => ({ ...pod(name, { limits: { cpu, memory: '256Mi' } }), metadata: { name, namespace: 'quota-cpu' } });
    await client.create(R.pods, sized('a', '600m'));
    const over = await rejection(client.create(R.pods, sized('b', '500m')));
    assert.equal(over.message, 'pods "b" is forbidden: exceeded quota: compute, requested: limits.cpu=500m, used: limits.cpu=600m, limited: limits.cpu=1');
    await eventually(async () => {
      const got = await client.get<ResourceQuota>(R.resourcequotas, 'quota-cpu', 'compute');
      assert.deepEqual(got.status?.used, { 'limits.cpu': '600m', 'requests.memory': '256Mi' });
    });
  });

  it('counts services, node ports and load balancers', async () => {
    const { client } = cluster;
    await client.create(R.namespaces, { metadata: { name: 'quota-svc' } });
    await client.create(R.resourcequotas, { metadata: { name: 'svc', namespace: 'quota-svc' }, spec: { hard: { 'services.loadbalancers': '1', services: '5' } } } as ResourceQuota);
    const lb = (name: string) => ({ metadata: { name, namespace: 'quota-svc' }, spec: { type: 'LoadBalancer', ports: [{ port: 80 }], selector: { app: 'x' } } });
    await client.create(R.services, lb('lb1'));
    const err = await rejection(client.create(R.services, lb('lb2')));
    assert.equal(err.message, 'services "lb2" is forbidden: exceeded quota: svc, requested: services.loadbalancers=1, used: services.loadbalancers=1, limited: services.loadbalancers=1');
  });

  it('applies LimitRange defaults and enforces min, max and ratio', async () => {
    const { client } = cluster;
    await client.create(R.namespaces, { metadata: { name: 'limits' } });
    const lr: LimitRange = {
      metadata: { name: 'lr', namespace: 'limits' },
      spec: { limits: [{ type: 'Container', default: { cpu: '500m', memory: '256Mi' }, defaultRequest: { cpu: '100m' }, min: { cpu: '50m' }, max: { cpu: '2' }, maxLimitRequestRatio: { cpu: '10' } }] },
    };
    await client.create(R.limitranges, lr);
    const created = await client.create<Pod>(R.pods, { ...pod('d'), metadata: { name: 'd', namespace: 'limits' } });
    const res = created.spec?.containers[0]?.resources;
    assert.deepEqual(res?.limits, { cpu: '500m', memory: '256Mi' });
    assert.deepEqual(res?.requests, { cpu: '100m', memory: '256Mi' });
    assert.equal(created.metadata?.annotations?.['kubernetes.io/limit-ranger'], 'LimitRanger plugin set: cpu, memory request for container app; cpu, memory limit for container app');
    assert.equal(created.status?.qosClass, 'Burstable');
    const tooBig = await rejection(client.create(R.pods, { ...pod('big', { limits: { cpu: '3' }, requests: { cpu: '3' } }), metadata: { name: 'big', namespace: 'limits' } }));
    assert.equal(tooBig.code, 403);
    assert.equal(tooBig.message, 'pods "big" is forbidden: maximum cpu usage per Container is 2, but limit is 3');
    const many = await rejection(client.create(R.pods, { ...pod('skew', { limits: { cpu: '2' }, requests: { cpu: '10m' } }), metadata: { name: 'skew', namespace: 'limits' } }));
    assert.equal(many.message, 'pods "skew" is forbidden: [minimum cpu usage per Container is 50m, but request is 10m, cpu max limit to request ratio per Container is 10, but provided ratio is 200.000000]');
  });

  it('bounds claim sizes with a PersistentVolumeClaim LimitRange', async () => {
    const { client } = cluster;
    await client.create(R.limitranges, { metadata: { name: 'storage', namespace: 'limits' }, spec: { limits: [{ type: 'PersistentVolumeClaim', min: { storage: '1Gi' }, max: { storage: '10Gi' } }] } } as LimitRange);
    const claim = (name: string, storage: string) => ({ metadata: { name, namespace: 'limits' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage } } } });
    const err = await rejection(client.create(R.persistentvolumeclaims, claim('huge', '20Gi')));
    assert.equal(err.message, 'persistentvolumeclaims "huge" is forbidden: maximum storage usage per PersistentVolumeClaim is 10Gi, but request is 20Gi');
    await client.create(R.persistentvolumeclaims, claim('ok', '5Gi'));
  });
});

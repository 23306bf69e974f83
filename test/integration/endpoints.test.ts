import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Endpoints, Pod } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { R } from '../../src/client/resource-ref.ts';
import { createEndpointsController } from '../../src/controllers/endpoints/endpoints-controller.ts';
import { createEndpointSliceController } from '../../src/controllers/endpointslice/endpointslice-controller.ts';
import { createGarbageCollector } from '../../src/controllers/garbage-collector/garbage-collector.ts';
import { startControllers, until, type ControllerHarness } from '../support/controller-harness.ts';

const NS = 'svc';
const pod = (name: string, app = 'web') => ({
  metadata: { name, namespace: NS, labels: { app } },
  spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ name: 'http', containerPort: 8080 }] }] },
});

describe('endpoints and endpointslices follow pod readiness', () => {
  let h: ControllerHarness;
  before(async () => {
    h = await startControllers({ endpoints: createEndpointsController, endpointslice: createEndpointSliceController, garbagecollector: createGarbageCollector });
    await h.client.create(R.namespaces, { metadata: { name: NS } });
    await h.client.create(R.nodes, { metadata: { name: 'n1' } });
  });
  after(() => h.stop());

  const endpoints = () => h.client.get<Endpoints>(R.endpoints, NS, 'web');
  const slices = async (svc = 'web') => (await h.client.list<EndpointSlice>(R.endpointslices, { namespace: NS, labelSelector: `kubernetes.io/service-name=${svc}` })).items;

  it('moves pods between notReadyAddresses and addresses, resolving named target ports', async () => {
    await h.client.create(R.services, { metadata: { name: 'web', namespace: NS, labels: { tier: 'front' } }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } });
    for (const name of ['a', 'b']) {
      await h.client.create(R.pods, pod(name));
      await h.client.createSubresource(R.pods, NS, name, 'binding', { metadata: { name }, target: { kind: 'Node', name: 'n1' } });
    }
    await h.setPodPhase(NS, 'a', 'Running', true);
    await h.setPodPhase(NS, 'b', 'Running', false);
    const ep = await until(async () => {
      const e = await endpoints();
      assert.equal(e.subsets?.[0]?.addresses?.length, 1);
      assert.equal(e.subsets[0]?.notReadyAddresses?.length, 1);
      return e;
    });
    const a = await h.client.get<Pod>(R.pods, NS, 'a');
    assert.deepEqual(ep.subsets?.[0]?.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
    assert.deepEqual(ep.subsets?.[0]?.addresses?.[0], { ip: a.status?.podIP, nodeName: 'n1', targetRef: { kind: 'Pod', namespace: NS, name: 'a', uid: a.metadata?.uid } });
    assert.equal(ep.metadata?.labels?.tier, 'front');

    const [slice] = await until(async () => {
      const s = await slices();
      assert.equal(s.length, 1);
      assert.equal(s[0]?.endpoints?.length, 2);
      return s;
    });
    assert.equal(slice?.metadata?.labels?.['endpointslice.kubernetes.io/managed-by'], 'endpointslice-controller.k8s.io');
    assert.equal(slice?.metadata?.ownerReferences?.[0]?.kind, 'Service');
    assert.equal(slice?.addressType, 'IPv4');
    assert.deepEqual(slice?.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
    const cond = (s: EndpointSlice | undefined, name: string) => s?.endpoints?.find((e) => e.targetRef?.name === name)?.conditions;
    assert.deepEqual(cond(slice, 'a'), { ready: true, serving: true, terminating: false });
    assert.deepEqual(cond(slice, 'b'), { ready: false, serving: false, terminating: false });

    await h.setPodPhase(NS, 'b', 'Running', true);
    await until(async () => assert.equal((await endpoints()).subsets?.[0]?.addresses?.length, 2));
    await until(async () => assert.deepEqual(cond((await slices())[0], 'b'), { ready: true, serving: true, terminating: false }));

    await h.setPodPhase(NS, 'a', 'Succeeded');
    await until(async () => assert.deepEqual((await endpoints()).subsets?.[0]?.addresses?.map((x) => x.targetRef?.name), ['b']));
    await until(async () => assert.deepEqual((await slices())[0]?.endpoints?.map((e) => e.targetRef?.name), ['b']));
  });

  it('publishNotReadyAddresses and headless Services', async () => {
    await h.client.create(R.services, { metadata: { name: 'peers', namespace: NS }, spec: { clusterIP: 'None', publishNotReadyAddresses: true, selector: { app: 'db' } } });
    await h.client.create(R.pods, pod('db-0', 'db'));
    await h.setPodPhase(NS, 'db-0', 'Running', false);
    const ep = await until(async () => {
      const e = await h.client.get<Endpoints>(R.endpoints, NS, 'peers');
      assert.equal(e.subsets?.[0]?.addresses?.length, 1);
      return e;
    });
    assert.equal(ep.subsets?.[0]?.ports, undefined);
    assert.equal(ep.metadata?.labels?.['service.kubernetes.io/headless'], '');
    await until(async () => assert.deepEqual((await slices('peers'))[0]?.endpoints?.[0]?.conditions, { ready: true, serving: true, terminating: false }));
  });

  it('splits more than 100 endpoints across slices, and removes everything with the Service', async () => {
    await h.client.create(R.services, { metadata: { name: 'many', namespace: NS }, spec: { selector: { app: 'many' }, ports: [{ port: 80 }] } });
    await Promise.all(Array.from({ length: 120 }, (_, i) => h.client.create(R.pods, pod(`m${i}`, 'many'))));
    await Promise.all(Array.from({ length: 120 }, (_, i) => h.setPodPhase(NS, `m${i}`, 'Running', true)));
    await until(async () => {
      const s = await slices('many');
      assert.deepEqual(s.map((x) => x.endpoints?.length ?? 0).sort((a, b) => a - b), [20, 100]);
    }, 15_000);
    await h.client.delete(R.services, NS, 'many');
    await until(async () => {
      assert.deepEqual(await slices('many'), []);
      assert.deepEqual((await h.client.list(R.endpoints, { namespace: NS })).items.map((e) => e.metadata?.name).sort(), ['peers', 'web']);
    });
  });
});

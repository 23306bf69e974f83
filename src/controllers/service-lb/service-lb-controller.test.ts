import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Service } from 'kubernetes-types/core/v1.js';
import { R } from '../../client/resource-ref.ts';
import { startControllers, type ControllerHarness } from '../../../test/support/controller-harness.ts';
import { eventually } from '../../../test/support/eventually.ts';
import { createServiceLbController } from './service-lb-controller.ts';

describe('servicelb controller', () => {
  let h: ControllerHarness;
  before(async () => {
    h = await startControllers({ servicelb: (ctx) => createServiceLbController(ctx, { pool: '127.250.3.0/29' }) });
  });
  after(() => h.stop());

  const ingress = async (name: string): Promise<string | undefined> => (await h.client.get<Service>(R.services, 'default', name)).status?.loadBalancer?.ingress?.[0]?.ip;
  const lb = (name: string, extra: Partial<NonNullable<Service['spec']>> = {}): Service => ({ metadata: { name, namespace: 'default' }, spec: { type: 'LoadBalancer', ports: [{ port: 80 }], ...extra } });

  it('assigns pool addresses, skips other classes, releases on type change and delete', async () => {
    await h.client.create(R.services, lb('a'));
    await h.client.create(R.services, lb('b'));
    await h.client.create(R.services, lb('other', { loadBalancerClass: 'example.com/lb' }));
    const a = await eventually(async () => { const ip = await ingress('a'); assert.ok(ip, 'a has no ip'); return ip; });
    const b = await eventually(async () => { const ip = await ingress('b'); assert.ok(ip, 'b has no ip'); return ip; });
    assert.deepEqual([a, b].sort(), ['127.250.3.1', '127.250.3.2']);
    assert.equal(await ingress('other'), undefined);

    const svcA = await h.client.get<Service>(R.services, 'default', 'a');
    await h.client.update(R.services, { ...svcA, spec: { ...svcA.spec, type: 'ClusterIP', externalTrafficPolicy: undefined, ports: [{ port: 80 }] } });
    await eventually(async () => assert.equal(await ingress('a'), undefined, 'a still has an ip'));
    await h.client.delete(R.services, 'default', 'b');
    await h.client.create(R.services, lb('c'));
    const c = await eventually(async () => { const ip = await ingress('c'); assert.ok(ip, 'c has no ip'); return ip; });
    assert.equal(c, '127.250.3.1'); // the lowest free address again: both were given back
  });
});

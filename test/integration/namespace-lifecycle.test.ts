import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Namespace, ServiceAccount } from 'kubernetes-types/core/v1.js';
import { isNotFound } from '../../src/client/api-error.ts';
import { R } from '../../src/client/resource-ref.ts';
import { createGarbageCollector } from '../../src/controllers/garbage-collector/garbage-collector.ts';
import { createNamespaceController } from '../../src/controllers/namespace/namespace-controller.ts';
import { createServiceAccountController } from '../../src/controllers/serviceaccount/serviceaccount-controller.ts';
import { startControllers, until, type ControllerHarness } from '../support/controller-harness.ts';

const podSpec = { containers: [{ name: 'c', image: 'nginx' }] };

describe('namespace lifecycle', () => {
  let h: ControllerHarness;
  before(async () => {
    h = await startControllers({ namespace: createNamespaceController, serviceaccount: createServiceAccountController, garbagecollector: createGarbageCollector });
  });
  after(() => h.stop());

  it('gives a new namespace its default ServiceAccount and recreates it when deleted', async () => {
    await h.client.create(R.namespaces, { metadata: { name: 'fresh' } });
    const sa = await until(() => h.client.get<ServiceAccount>(R.serviceaccounts, 'fresh', 'default'));
    await h.client.delete(R.serviceaccounts, 'fresh', 'default');
    await until(async () => {
      const again = await h.client.get<ServiceAccount>(R.serviceaccounts, 'fresh', 'default');
      assert.notEqual(again.metadata?.uid, sa.metadata?.uid);
    });
  });

  it('empties a deleted namespace, reports what holds it, then removes it', async () => {
    const ns = 'doomed';
    await h.client.create(R.namespaces, { metadata: { name: ns } });
    await h.client.create(R.configmaps, { metadata: { name: 'plain', namespace: ns }, data: { a: '1' } });
    await h.client.create(R.configmaps, { metadata: { name: 'held', namespace: ns, finalizers: ['example.com/hold'] } });
    await h.client.create(R.secrets, { metadata: { name: 's', namespace: ns }, stringData: { k: 'v' } });
    await h.client.create(R.services, { metadata: { name: 'web', namespace: ns }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
    await h.client.create(R.deployments, { metadata: { name: 'web', namespace: ns }, spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: podSpec } } });
    for (const i of [1, 2]) await h.client.create(R.pods, { metadata: { name: `p${i}`, namespace: ns, labels: { app: 'web' } }, spec: podSpec });
    await h.client.delete(R.namespaces, undefined, ns);

    const held = await until(async () => {
      const n = await h.client.get<Namespace>(R.namespaces, undefined, ns);
      const finalizers = n.status?.conditions?.find((c) => c.type === 'NamespaceFinalizersRemaining');
      assert.equal(finalizers?.status, 'True');
      return n;
    });
    assert.equal(held.status?.phase, 'Terminating');
    const cond = (type: string) => held.status?.conditions?.find((c) => c.type === type);
    assert.equal(cond('NamespaceFinalizersRemaining')?.message, 'Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances');
    assert.equal(cond('NamespaceContentRemaining')?.message, 'Some resources are remaining: configmaps has 1 resource instances');
    assert.equal(cond('NamespaceDeletionDiscoveryFailure')?.status, 'False');
    assert.equal(cond('NamespaceDeletionContentFailure')?.reason, 'ContentDeleted');
    for (const r of [R.pods, R.deployments, R.services, R.secrets]) assert.deepEqual((await h.client.list(r, { namespace: ns })).items, [], `${r.resource} deleted`);
    assert.deepEqual((await h.client.list(R.configmaps, { namespace: ns })).items.map((c) => c.metadata?.name), ['held']);

    await h.client.patch(R.configmaps, ns, 'held', 'merge', { metadata: { finalizers: null } });
    await until(async () => {
      await assert.rejects(h.client.get(R.namespaces, undefined, ns), (err) => isNotFound(err));
    });
  });
});

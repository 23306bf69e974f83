import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../src/api/types.ts';
import { isNotFound } from '../../src/client/api-error.ts';
import { R, type ResourceRef } from '../../src/client/resource-ref.ts';
import { createGarbageCollector } from '../../src/controllers/garbage-collector/garbage-collector.ts';
import { startControllers, until, type ControllerHarness } from '../support/controller-harness.ts';

const NS = 'gc';
const labels = { app: 'web' };
const podSpec = { containers: [{ name: 'c', image: 'nginx' }] };

describe('garbage collector', () => {
  let h: ControllerHarness;
  before(async () => {
    h = await startControllers({ garbagecollector: createGarbageCollector });
    await h.client.create(R.namespaces, { metadata: { name: NS } });
  });
  after(() => h.stop());

  const owner = (kind: string, apiVersion: string, o: KubeObject) => ({ apiVersion, kind, name: o.metadata?.name ?? '', uid: o.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true });
  const exists = async (r: ResourceRef, name: string) =>
    h.client.get<KubeObject>(r, NS, name).then(
      (o) => o,
      (err: unknown) => {
        if (isNotFound(err)) return undefined;
        throw err;
      },
    );

  /** Deployment → ReplicaSet → 2 Pods, wired by hand with ownerReferences. */
  async function chain(name: string, podFinalizer?: string) {
    const deploy = await h.client.create<KubeObject>(R.deployments, { metadata: { name, namespace: NS }, spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: podSpec } } });
    const rs = await h.client.create<KubeObject>(R.replicasets, {
      metadata: { name: `${name}-rs`, namespace: NS, ownerReferences: [owner('Deployment', 'apps/v1', deploy)] },
      spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: podSpec } },
    });
    for (const i of [0, 1]) {
      await h.client.create(R.pods, { metadata: { name: `${name}-pod-${i}`, namespace: NS, labels, ownerReferences: [owner('ReplicaSet', 'apps/v1', rs)], ...(podFinalizer && i === 0 ? { finalizers: [podFinalizer] } : {}) }, spec: podSpec });
    }
    return { deploy, rs };
  }

  it('background: dependents of a deleted owner are deleted, all the way down', async () => {
    await chain('bg');
    await h.client.delete(R.deployments, NS, 'bg', { propagationPolicy: 'Background' });
    assert.equal(await exists(R.deployments, 'bg'), undefined, 'the owner goes at once');
    await until(async () => {
      assert.equal(await exists(R.replicasets, 'bg-rs'), undefined);
      assert.equal(await exists(R.pods, 'bg-pod-0'), undefined);
      assert.equal(await exists(R.pods, 'bg-pod-1'), undefined);
    });
  });

  it('foreground: the owner stays until its blocking dependents are gone', async () => {
    await chain('fg', 'example.com/hold');
    await h.client.delete(R.deployments, NS, 'fg', { propagationPolicy: 'Foreground' });
    await until(async () => {
      assert.equal(await exists(R.pods, 'fg-pod-1'), undefined);
      const pod0 = await exists(R.pods, 'fg-pod-0');
      assert.ok(pod0?.metadata?.deletionTimestamp, 'held pod is terminating');
    });
    const deploy = await exists(R.deployments, 'fg');
    assert.ok(deploy?.metadata?.finalizers?.includes('foregroundDeletion'), 'owner waits with its finalizer');
    const rs = await exists(R.replicasets, 'fg-rs');
    assert.ok(rs?.metadata?.deletionTimestamp, 'the ReplicaSet is being deleted in the foreground too');
    await h.client.patch(R.pods, NS, 'fg-pod-0', 'merge', { metadata: { finalizers: null } });
    await until(async () => {
      assert.equal(await exists(R.pods, 'fg-pod-0'), undefined);
      assert.equal(await exists(R.replicasets, 'fg-rs'), undefined);
      assert.equal(await exists(R.deployments, 'fg'), undefined);
    });
  });

  it('orphan: dependents lose their owner reference and stay', async () => {
    const { rs } = await chain('or');
    await h.client.delete(R.deployments, NS, 'or', { propagationPolicy: 'Orphan' });
    await until(async () => assert.equal(await exists(R.deployments, 'or'), undefined));
    const kept = await exists(R.replicasets, 'or-rs');
    assert.equal(kept?.metadata?.uid, rs.metadata?.uid);
    assert.equal(kept?.metadata?.ownerReferences, undefined);
    assert.equal((await exists(R.pods, 'or-pod-0'))?.metadata?.ownerReferences?.[0]?.uid, rs.metadata?.uid, 'grandchildren keep their own owner');
  });

  it('deletes an object whose owner never existed, keeps one with a live second owner', async () => {
    const cm = await h.client.create<KubeObject>(R.configmaps, { metadata: { name: 'live-owner', namespace: NS } });
    await h.client.create(R.configmaps, {
      metadata: { name: 'two-owners', namespace: NS, ownerReferences: [owner('ConfigMap', 'v1', cm), { apiVersion: 'v1', kind: 'ConfigMap', name: 'ghost', uid: '00000000-0000-0000-0000-000000000001' }] },
    });
    await h.client.create(R.configmaps, { metadata: { name: 'orphaned', namespace: NS, ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'ghost', uid: '00000000-0000-0000-0000-000000000001' }] } });
    await until(async () => assert.equal(await exists(R.configmaps, 'orphaned'), undefined));
    await until(async () => assert.equal((await exists(R.configmaps, 'two-owners'))?.metadata?.ownerReferences?.length, 1, 'the dangling reference is dropped'));
  });

  it('watches custom resources as their CRDs appear', async () => {
    await h.client.create(R.customresourcedefinitions, {
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        scope: 'Namespaced',
        names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
      },
    });
    const widgets: ResourceRef = { group: 'example.com', version: 'v1', resource: 'widgets', kind: 'Widget', namespaced: true };
    const widget = await until(() => h.client.create<KubeObject>(widgets, { metadata: { name: 'w1', namespace: NS } }));
    await h.client.create(R.configmaps, { metadata: { name: 'widget-config', namespace: NS, ownerReferences: [owner('Widget', 'example.com/v1', widget)] } });
    await h.client.delete(widgets, NS, 'w1');
    await until(async () => assert.equal(await exists(R.configmaps, 'widget-config'), undefined));
  });
});

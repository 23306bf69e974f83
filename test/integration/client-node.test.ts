import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { startApiServer, type RunningApiServer } from '../../src/apiserver/api-server.ts';

/** @kubernetes/client-node 1.4 (a client we did not write) against an in-process Minato API server. */
describe('@kubernetes/client-node against minato', () => {
  let server: RunningApiServer;
  let dir: string;
  let kc: k8s.KubeConfig;
  let core: k8s.CoreV1Api;
  let apps: k8s.AppsV1Api;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'minato-client-node-'));
    server = await startApiServer({ dataDir: dir, port: 0, bookmarkIntervalMs: 500 });
    kc = new k8s.KubeConfig();
    kc.loadFromFile(server.kubeconfigPath);
    core = kc.makeApiClient(k8s.CoreV1Api);
    apps = kc.makeApiClient(k8s.AppsV1Api);
  });

  after(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('creates, reads, lists, patches, replaces and deletes', async () => {
    await core.createNamespace({ body: { metadata: { name: 'cn-crud' } } });
    const created = await core.createNamespacedConfigMap({ namespace: 'cn-crud', body: { metadata: { name: 'c1', labels: { app: 'x' } }, data: { a: '1' } } });
    assert.ok(created.metadata?.uid);
    assert.ok(created.metadata?.creationTimestamp instanceof Date);
    const read = await core.readNamespacedConfigMap({ name: 'c1', namespace: 'cn-crud' });
    assert.equal(read.data?.a, '1');
    const listed = await core.listNamespacedConfigMap({ namespace: 'cn-crud', labelSelector: 'app=x' });
    assert.deepEqual(listed.items.map((i) => i.metadata?.name), ['c1']);
    // client-node's default patch type is JSON Patch.
    const patched = await core.patchNamespacedConfigMap({ name: 'c1', namespace: 'cn-crud', body: [{ op: 'add', path: '/data/b', value: '2' }] });
    assert.deepEqual(patched.data, { a: '1', b: '2' });
    const replaced = await core.replaceNamespacedConfigMap({ name: 'c1', namespace: 'cn-crud', body: { ...patched, data: { c: '3' } } });
    assert.deepEqual(replaced.data, { c: '3' });
    await assert.rejects(core.replaceNamespacedConfigMap({ name: 'c1', namespace: 'cn-crud', body: { ...patched, data: { d: '4' } } }), (err: k8s.ApiException<string>) => {
      assert.equal(err.code, 409);
      assert.match(String(err.body), /the object has been modified/);
      return true;
    });
    await core.deleteNamespacedConfigMap({ name: 'c1', namespace: 'cn-crud' });
    await assert.rejects(core.readNamespacedConfigMap({ name: 'c1', namespace: 'cn-crud' }), (err: k8s.ApiException<string>) => err.code === 404);
  });

  it('applies server-side through KubernetesObjectApi', async () => {
    const objects = k8s.KubernetesObjectApi.makeApiClient(kc);
    const spec = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'ssa', namespace: 'default' },
      spec: { replicas: 2, selector: { matchLabels: { app: 'ssa' } }, template: { metadata: { labels: { app: 'ssa' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } },
    };
    await objects.patch(spec, undefined, undefined, 'js', true, k8s.PatchStrategy.ServerSideApply);
    const read = await apps.readNamespacedDeployment({ name: 'ssa', namespace: 'default' });
    assert.equal(read.spec?.replicas, 2);
    assert.ok(read.metadata?.managedFields?.some((m) => m.manager === 'js' && m.operation === 'Apply'));
  });

  it('watches changes from a resourceVersion', async () => {
    await core.createNamespace({ body: { metadata: { name: 'cn-watch' } } });
    const list = await core.listNamespacedSecret({ namespace: 'cn-watch' });
    const seen: string[] = [];
    const watch = new k8s.Watch(kc);
    const done = new Promise<void>((resolve) => {
      void watch
        .watch('/api/v1/namespaces/cn-watch/secrets', { resourceVersion: list.metadata?.resourceVersion, allowWatchBookmarks: true }, (type, obj: k8s.V1Secret) => {
          if (type !== 'BOOKMARK') seen.push(`${type} ${obj.metadata?.name ?? ''}`);
          if (seen.length === 3) resolve();
        }, () => undefined)
        .then((req) => done.finally(() => req.abort()));
    });
    await core.createNamespacedSecret({ namespace: 'cn-watch', body: { metadata: { name: 's1' }, stringData: { k: 'v' } } });
    await core.patchNamespacedSecret({ name: 's1', namespace: 'cn-watch', body: [{ op: 'add', path: '/metadata/labels', value: { a: 'b' } }] });
    await core.deleteNamespacedSecret({ name: 's1', namespace: 'cn-watch' });
    await done;
    assert.deepEqual(seen, ['ADDED s1', 'MODIFIED s1', 'DELETED s1']);
  });

  it('keeps an informer cache in step with adds, updates and deletes', async () => {
    await core.createNamespace({ body: { metadata: { name: 'cn-informer' } } });
    const informer = k8s.makeInformer(kc, '/api/v1/namespaces/cn-informer/configmaps', () => core.listNamespacedConfigMap({ namespace: 'cn-informer' }));
    const events: string[] = [];
    const waitFor = (n: number) =>
      new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`saw only ${events.join(', ')}`)), 10_000);
        const check = () => (events.length >= n ? (clearTimeout(t), resolve()) : setTimeout(check, 20));
        check();
      });
    informer.on('add', (o) => events.push(`add ${o.metadata?.name ?? ''}`));
    informer.on('update', (o) => events.push(`update ${o.metadata?.name ?? ''} ${o.data?.v ?? ''}`));
    informer.on('delete', (o) => events.push(`delete ${o.metadata?.name ?? ''}`));
    await core.createNamespacedConfigMap({ namespace: 'cn-informer', body: { metadata: { name: 'before' }, data: { v: '0' } } });
    await informer.start();
    await waitFor(1);
    await core.createNamespacedConfigMap({ namespace: 'cn-informer', body: { metadata: { name: 'after' }, data: { v: '1' } } });
    await waitFor(2);
    await core.replaceNamespacedConfigMap({ name: 'after', namespace: 'cn-informer', body: { metadata: { name: 'after' }, data: { v: '2' } } });
    await waitFor(3);
    await core.deleteNamespacedConfigMap({ name: 'before', namespace: 'cn-informer' });
    await waitFor(4);
    await informer.stop();
    assert.deepEqual(events, ['add before', 'add after', 'update after 2', 'delete before']);
    assert.deepEqual(informer.list().map((o) => o.metadata?.name), ['after']);
  });
});

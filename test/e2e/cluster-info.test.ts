import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startServerProcess, type ServerProcess } from '../support/minato-server.ts';
import type { Kubectl } from '../support/kubectl.ts';
import { clients, freshNamespace, ok, startKubectl, VERSIONS } from './e2e-helpers.ts';

describe('kubectl discovery, explain, auth and wait against minato server', () => {
  let server: ServerProcess;
  let k: Record<string, Kubectl>;
  before(async () => {
    server = await startServerProcess();
    k = clients(server.kubeconfig);
  });
  after(async () => server?.dispose());

  for (const v of VERSIONS) {
    test(`${v}: version, api-versions, api-resources and explain`, async () => {
      const kc = k[v] as Kubectl;
      const [version, versions, resources, explained] = await Promise.all([
        ok(kc, ['version', '-o', 'json']),
        ok(kc, ['api-versions']),
        ok(kc, ['api-resources']),
        ok(kc, ['explain', 'deployment.spec.replicas']),
      ]);
      const server = (JSON.parse(version) as { serverVersion: { major: string; minor: string; gitVersion: string } }).serverVersion;
      assert.equal(server.major, '1');
      assert.equal(server.minor, '33');
      assert.match(server.gitVersion, /^v1\.33\./);
      for (const gv of ['v1', 'apps/v1', 'batch/v1', 'rbac.authorization.k8s.io/v1', 'apiextensions.k8s.io/v1', 'storage.k8s.io/v1']) {
        assert.ok(versions.split('\n').includes(gv), `api-versions lacks ${gv}:\n${versions}`);
      }
      const rows = resources.split('\n').map((l) => l.trim().split(/\s+/));
      assert.deepEqual(rows[0], ['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND']);
      assert.ok(rows.some((r) => r.join(' ') === 'deployments deploy apps/v1 true Deployment'), resources);
      assert.ok(rows.some((r) => r.join(' ') === 'namespaces ns v1 false Namespace'), resources);
      assert.ok(rows.some((r) => r.join(' ') === 'configmaps cm v1 true ConfigMap'), resources);
      assert.match(explained, /^GROUP:\s+apps$/m);
      assert.match(explained, /^KIND:\s+Deployment$/m);
      assert.match(explained, /^FIELD:\s+replicas <integer>$/m);
      assert.match(explained, /Number of desired pods/);
    });

    test(`${v}: auth can-i for the admin and for a service account before and after RBAC grants`, async () => {
      const kc = k[v] as Kubectl;
      const ns = await freshNamespace(kc, 'rbac');
      await ok(kc, ['create', 'serviceaccount', 'reader', '-n', ns]);
      const as = `--as=system:serviceaccount:${ns}:reader`;
      const [admin, adminAll, before] = await Promise.all([kc(['auth', 'can-i', 'create', 'deployments', '-n', ns]), kc(['auth', 'can-i', '*', '*']), kc(['auth', 'can-i', 'list', 'pods', '-n', ns, as])]);
      assert.deepEqual([admin.code, admin.stdout.trim()], [0, 'yes']);
      assert.deepEqual([adminAll.code, adminAll.stdout.trim()], [0, 'yes']);
      assert.deepEqual([before.code, before.stdout.trim()], [1, 'no']);
      await ok(kc, ['create', 'role', 'pod-reader', '-n', ns, '--verb=get,list,watch', '--resource=pods']);
      await ok(kc, ['create', 'rolebinding', 'reader-binding', '-n', ns, '--role=pod-reader', `--serviceaccount=${ns}:reader`]);
      const [list, del, elsewhere] = await Promise.all([kc(['auth', 'can-i', 'list', 'pods', '-n', ns, as]), kc(['auth', 'can-i', 'delete', 'pods', '-n', ns, as]), kc(['auth', 'can-i', 'list', 'pods', '-n', 'default', as])]);
      assert.deepEqual([list.code, list.stdout.trim()], [0, 'yes']);
      assert.deepEqual([del.code, del.stdout.trim()], [1, 'no']);
      assert.deepEqual([elsewhere.code, elsewhere.stdout.trim()], [1, 'no']);
      // The impersonated request itself is authorized the same way.
      const denied = await kc(['get', 'configmaps', '-n', ns, as]);
      assert.equal(denied.code, 1);
      assert.match(denied.stderr, new RegExp(`Forbidden.*User "system:serviceaccount:${ns}:reader" cannot list resource "configmaps" in API group "" in the namespace "${ns}"`));
      assert.equal((await kc(['get', 'pods', '-n', ns, as])).code, 0);
    });

    test(`${v}: wait for a jsonpath condition and for deletion`, async () => {
      const kc = k[v] as Kubectl;
      const ns = await freshNamespace(kc, 'wait');
      await ok(kc, ['create', 'configmap', 'flag', '-n', ns, '--from-literal=a=1']);
      const waiting = startKubectl(kc, server.kubeconfig, ['wait', 'configmap/flag', '-n', ns, '--for=jsonpath={.metadata.labels.x}=y', '--timeout=30s']);
      await new Promise((resolve) => setTimeout(resolve, 500));
      await ok(kc, ['label', 'configmap', 'flag', '-n', ns, 'x=y']);
      const labelled = await waiting.exited;
      assert.equal(labelled.code, 0, labelled.stderr);
      assert.match(labelled.stdout, /configmap\/flag condition met/);

      const gone = startKubectl(kc, server.kubeconfig, ['wait', 'configmap/flag', '-n', ns, '--for=delete', '--timeout=30s']);
      await new Promise((resolve) => setTimeout(resolve, 500));
      await ok(kc, ['delete', 'configmap', 'flag', '-n', ns]);
      const deleted = await gone.exited;
      assert.equal(deleted.code, 0, deleted.stderr);
      assert.match(deleted.stdout, /configmap\/flag condition met/);

      const timedOut = await kc(['wait', 'namespace', ns, '--for=jsonpath={.status.phase}=Terminating', '--timeout=1s']);
      assert.equal(timedOut.code, 1);
      assert.match(timedOut.stderr, /timed out waiting for the condition/);
    });
  }

  test('dispatcher: version, explain and can-i', async () => {
    const kc = k.dispatcher as Kubectl;
    const [version, explained, can] = await Promise.all([ok(kc, ['version']), ok(kc, ['explain', 'configmap.data']), ok(kc, ['auth', 'can-i', 'get', 'nodes'])]);
    assert.match(version, /Client Version: v1\.33\./);
    assert.match(version, /Server Version: v1\.33\./);
    assert.match(explained, /^FIELD:\s+data <map\[string\]string>$/m);
    assert.equal(can.trim(), 'yes');
  });
});

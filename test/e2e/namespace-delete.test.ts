import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { kubectl, ok, type Kubectl } from '../support/kubectl.ts';
import { startServerProcess, type ServerProcess } from '../support/minato-server.ts';
import { freshNamespace, VERSIONS } from './e2e-helpers.ts';

/** `kubectl delete namespace` waits until the namespace controller has emptied and finalized it. */
describe('kubectl delete namespace against minato server (with its controllers)', () => {
  let server: ServerProcess;
  before(async () => {
    server = await startServerProcess();
  });
  after(() => server.dispose());

  for (const v of VERSIONS) {
    test(`${v}: delete namespace returns once the namespace and its content are gone`, async () => {
      const k: Kubectl = kubectl(v, server.kubeconfig);
      const ns = await freshNamespace(k, 'doomed');
      await ok(k, ['-n', ns, 'create', 'configmap', 'c1', '--from-literal=a=1']);
      await ok(k, ['-n', ns, 'create', 'deployment', 'web', '--image=nginx']);
      await ok(k, ['-n', ns, 'create', 'job', 'once', '--image=busybox']);
      const started = Date.now();
      assert.match(await ok(k, ['delete', 'namespace', ns, '--timeout=30s']), new RegExp(`namespace "${ns}" deleted`));
      const gone = await k(['get', 'namespace', ns]);
      assert.notEqual(gone.code, 0);
      assert.match(gone.stderr, /NotFound|not found/);
      assert.ok(Date.now() - started < 30_000);
    });
  }
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Deployment } from 'kubernetes-types/apps/v1.js';
import { startServerProcess, type ServerProcess } from '../support/minato-server.ts';
import type { Kubectl } from '../support/kubectl.ts';
import { clients, deploymentManifest, freshNamespace, getJson, manifestFile, ok, uniqueName, VERSIONS } from './e2e-helpers.ts';

const FIXTURE = readFileSync(new URL('./fixtures/app.yaml', import.meta.url), 'utf8');

/** The multi-kind fixture moved into its own namespace and storage class so runs do not collide. */
function fixtureIn(ns: string, storageClass: string): string {
  return FIXTURE.replace(/\bshop\b/g, ns).replace(/\bthin-disk\b/g, storageClass);
}

function containersOf(d: Deployment): Array<{ name: string; image?: string; env?: Array<{ name: string; value?: string }> }> {
  return (d.spec?.template.spec?.containers ?? []).map((c) => ({ name: c.name, image: c.image, env: c.env?.map((e) => ({ name: e.name, value: e.value })) }));
}

describe('kubectl apply against minato server', () => {
  let server: ServerProcess;
  let k: Record<string, Kubectl>;
  before(async () => {
    server = await startServerProcess();
    k = clients(server.kubeconfig);
  });
  after(async () => server?.dispose());

  for (const v of VERSIONS) {
    test(`${v}: multi-document apply of many kinds, then unchanged on re-apply`, async () => {
      const kc = k[v] as Kubectl;
      const ns = uniqueName('app');
      const sc = `${ns}-disk`;
      const file = manifestFile(fixtureIn(ns, sc));
      const first = await ok(kc, ['apply', '-f', file]);
      for (const line of [`namespace/${ns} created`, 'configmap/web-config created', 'secret/web-secret created', 'deployment.apps/web created', 'service/web created', 'statefulset.apps/mysql created', `storageclass.storage.k8s.io/${sc} created`, 'job.batch/migrate created']) {
        assert.ok(first.includes(line), `missing "${line}" in:\n${first}`);
      }
      const second = await ok(kc, ['apply', '-f', file]);
      // As with kube-apiserver, two kinds always look changed to kubectl: a Secret written with stringData
      // (stored as data) and a StatefulSet whose volumeClaimTemplates (an atomic list) gained defaults.
      for (const line of [`namespace/${ns} unchanged`, 'configmap/web-config unchanged', 'deployment.apps/web unchanged', 'service/web unchanged', `storageclass.storage.k8s.io/${sc} unchanged`, 'job.batch/migrate unchanged']) {
        assert.ok(second.includes(line), `missing "${line}" in:\n${second}`);
      }
      const secret = await getJson<{ data: Record<string, string> }>(kc, ['secret', 'web-secret', '-n', ns]);
      assert.equal(Buffer.from(secret.data.password ?? '', 'base64').toString(), 's3cret');
    });

    test(`${v}: re-apply adds and removes containers and env entries (strategic merge)`, async () => {
      const kc = k[v] as Kubectl;
      const ns = await freshNamespace(kc, 'smp');
      const name = 'web';
      await ok(kc, ['apply', '-f', manifestFile(deploymentManifest({ name, namespace: ns, containers: [{ name: 'web', image: 'nginx:1.25', env: { MODE: 'prod', DEBUG: 'false', REGION: 'eu' } }] }))]);
      const added = await ok(kc, [
        'apply',
        '-f',
        manifestFile(
          deploymentManifest({
            name,
            namespace: ns,
            containers: [
              { name: 'web', image: 'nginx:1.25', env: { MODE: 'prod', REGION: 'us', LOG: 'json' } },
              { name: 'sidecar', image: 'busybox:1.36', env: { ROLE: 'proxy' } },
            ],
          }),
        ),
      ]);
      assert.match(added, /deployment\.apps\/web configured/);
      const afterAdd = await getJson<Deployment>(kc, ['deployment', name, '-n', ns]);
      assert.deepEqual(containersOf(afterAdd), [
        {
          name: 'web',
          image: 'nginx:1.25',
          env: [
            { name: 'MODE', value: 'prod' },
            { name: 'REGION', value: 'us' },
            { name: 'LOG', value: 'json' },
          ],
        },
        { name: 'sidecar', image: 'busybox:1.36', env: [{ name: 'ROLE', value: 'proxy' }] },
      ]);
      await ok(kc, ['apply', '-f', manifestFile(deploymentManifest({ name, namespace: ns, containers: [{ name: 'web', image: 'nginx:1.26', env: { MODE: 'prod' } }] }))]);
      const afterRemove = await getJson<Deployment>(kc, ['deployment', name, '-n', ns]);
      assert.deepEqual(containersOf(afterRemove), [{ name: 'web', image: 'nginx:1.26', env: [{ name: 'MODE', value: 'prod' }] }]);
      // Everything the edits did not touch is still there.
      assert.equal(afterRemove.spec?.replicas, 2);
      assert.deepEqual(afterRemove.metadata?.labels, { app: name, tier: 'web' });
      assert.deepEqual(afterRemove.spec?.selector, { matchLabels: { app: name } });
      assert.deepEqual(afterRemove.spec?.template.metadata?.labels, { app: name });
      assert.deepEqual(afterRemove.spec?.template.spec?.containers[0]?.ports, [{ containerPort: 80, protocol: 'TCP' }]);
      assert.equal(afterRemove.metadata?.generation, 3);
    });

    test(`${v}: server-side apply reports a conflict with another manager, --force-conflicts takes over`, async () => {
      const kc = k[v] as Kubectl;
      const ns = await freshNamespace(kc, 'ssa');
      const manifest = (replicas: number) => manifestFile(deploymentManifest({ name: 'api', namespace: ns, replicas, containers: [{ name: 'api', image: 'nginx:1.25' }] }));
      const created = await ok(kc, ['apply', '--server-side', '-f', manifest(2)]);
      assert.match(created, /deployment\.apps\/api serverside-applied/);
      const conflicted = await kc(['apply', '--server-side', '--field-manager=autoscaler', '-f', manifest(5)]);
      assert.equal(conflicted.code, 1, conflicted.stdout);
      assert.match(conflicted.stderr, /conflict/i);
      assert.match(conflicted.stderr, /\.spec\.replicas/);
      assert.equal((await getJson<Deployment>(kc, ['deployment', 'api', '-n', ns])).spec?.replicas, 2);
      await ok(kc, ['apply', '--server-side', '--field-manager=autoscaler', '--force-conflicts', '-f', manifest(5)]);
      const taken = await getJson<Deployment>(kc, ['deployment', 'api', '-n', ns, '--show-managed-fields']);
      assert.equal(taken.spec?.replicas, 5);
      // spec.replicas only: the controller manager owns status.replicas through the status subresource.
      const owners = (taken.metadata?.managedFields ?? []).filter((m) => m.subresource !== 'status' && JSON.stringify(m.fieldsV1 ?? {}).includes('"f:replicas"')).map((m) => m.manager);
      assert.deepEqual(owners, ['autoscaler']);
    });
  }

  for (const v of VERSIONS) {
    test(`${v}: diff shows only real changes, and client-side apply migrates to server-side apply`, async () => {
      const kc = k[v] as Kubectl;
      const ns = await freshNamespace(kc, 'diff');
      const manifest = (data: string, labels: string) => manifestFile(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n  namespace: ${ns}\n  labels:\n${labels}data:\n${data}`);
      const full = manifest('  one: "1"\n  two: "2"\n', '    a: "1"\n    b: "2"\n');
      await ok(kc, ['apply', '-f', full]);
      const same = await kc(['diff', '-f', full]);
      assert.deepEqual([same.code, same.stdout, same.stderr], [0, '', '']);
      const changed = await kc(['diff', '-f', manifest('  one: "1"\n  two: "22"\n', '    a: "1"\n    b: "2"\n')]);
      assert.equal(changed.code, 1, changed.stderr);
      assert.match(changed.stdout, /^- {2}two: "2"$/m);
      assert.match(changed.stdout, /^\+ {2}two: "22"$/m);

      // Taking over with server-side apply: fields dropped from the manifest are removed, not orphaned.
      assert.match(await ok(kc, ['apply', '--server-side', '-f', full]), /configmap\/cfg serverside-applied/);
      await ok(kc, ['apply', '--server-side', '-f', manifest('  one: "1"\n', '    a: "1"\n')]);
      const cm = await getJson<{ data: unknown; metadata: { labels: unknown } }>(kc, ['configmap', 'cfg', '-n', ns]);
      assert.deepEqual(cm.data, { one: '1' });
      assert.deepEqual(cm.metadata.labels, { a: '1' });
    });
  }

  test('dispatcher: apply --dry-run=server does not create the object', async () => {
    const kc = k.dispatcher as Kubectl;
    const ns = await freshNamespace(kc, 'dry');
    const file = manifestFile(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: draft\n  namespace: ${ns}\ndata:\n  a: "1"\n`);
    const out = await ok(kc, ['apply', '--dry-run=server', '-f', file]);
    assert.match(out, /configmap\/draft created \(server dry run\)/);
    const missing = await kc(['get', 'configmap', 'draft', '-n', ns]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /NotFound.*configmaps "draft" not found/);
    await ok(kc, ['apply', '-f', file]);
    const unchanged = await ok(kc, ['apply', '-f', file]);
    assert.match(unchanged, /configmap\/draft unchanged/);
  });
});

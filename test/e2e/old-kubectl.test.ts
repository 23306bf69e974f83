import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Deployment } from 'kubernetes-types/apps/v1.js';
import { startServerProcess, type ServerProcess } from '../support/minato-server.ts';
import type { Kubectl } from '../support/kubectl.ts';
import { clients, deploymentManifest, freshNamespace, getJson, manifestFile, ok } from './e2e-helpers.ts';

// kubectl 1.27 and 1.28 read the OpenAPI v2 document as protobuf for apply and validation.
const OLD_VERSIONS = ['1.27', '1.28'] as const;

describe('kubectl 1.27 and 1.28 against minato server', () => {
  let server: ServerProcess;
  let k: Record<string, Kubectl>;
  before(async () => {
    // The API server alone: these views assert stored objects, which controllers would change under them.
    server = await startServerProcess({ extraArgs: ['--disable-controllers'] });
    k = clients(server.kubeconfig);
  });
  after(async () => server?.dispose());

  for (const v of OLD_VERSIONS) {
    test(`${v}: apply, re-apply, get, describe and delete`, async () => {
      const kc = k[v] as Kubectl;
      const ns = await freshNamespace(kc, `old${v.replace('.', '')}`);
      const first = deploymentManifest({ name: 'web', namespace: ns, containers: [{ name: 'web', image: 'nginx:1.25', env: { A: '1', B: '2' } }] });
      const service = `apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: ${ns}\nspec:\n  selector:\n    app: web\n  ports:\n    - port: 80\n`;
      const created = await ok(kc, ['apply', '-f', manifestFile(`${first}---\n${service}`)]);
      assert.match(created, /deployment\.apps\/web created/);
      assert.match(created, /service\/web created/);
      const second = deploymentManifest({ name: 'web', namespace: ns, containers: [{ name: 'web', image: 'nginx:1.26', env: { A: '1' } }] });
      assert.match(await ok(kc, ['apply', '-f', manifestFile(second)]), /deployment\.apps\/web configured/);
      assert.match(await ok(kc, ['apply', '-f', manifestFile(second)]), /deployment\.apps\/web unchanged/);
      const d = await getJson<Deployment>(kc, ['deployment', 'web', '-n', ns]);
      assert.deepEqual(d.spec?.template.spec?.containers.map((c) => [c.image, c.env]), [['nginx:1.26', [{ name: 'A', value: '1' }]]]);

      const [table, described, serviceDescribed] = await Promise.all([
        ok(kc, ['get', 'deployments,services', '-n', ns]),
        ok(kc, ['describe', 'deployment', 'web', '-n', ns]),
        ok(kc, ['describe', 'service', 'web', '-n', ns]),
      ]);
      assert.match(table, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE$/m);
      assert.match(table, /^deployment\.apps\/web\s+0\/2\s+0\s+0\s+\S+$/m);
      assert.match(table, /^service\/web\s+ClusterIP\s+10\.96\.\d+\.\d+\s+<none>\s+80\/TCP\s+\S+$/m);
      assert.match(described, /^Name:\s+web$/m);
      assert.match(described, /^\s+Image:\s+nginx:1\.26$/m);
      assert.match(serviceDescribed, /^TargetPort:\s+80\/TCP$/m);

      const strict = await kc(['apply', '--validate=strict', '-f', manifestFile(first.replace('replicas: 2', 'replicas: 2\n  bogus: true'))]);
      assert.equal(strict.code, 1);
      assert.match(strict.stderr, /unknown field "spec\.bogus"/);

      assert.equal(await ok(kc, ['delete', '-f', manifestFile(`${second}---\n${service}`)]), 'deployment.apps "web" deleted\nservice "web" deleted\n');
      assert.equal((await kc(['get', 'deployment', 'web', '-n', ns])).code, 1);
    });
  }

  test('1.27: server-side apply and explain', async () => {
    const kc = k['1.27'] as Kubectl;
    const ns = await freshNamespace(kc, 'old-ssa');
    const file = manifestFile(deploymentManifest({ name: 'api', namespace: ns, containers: [{ name: 'api', image: 'api:1' }] }));
    assert.match(await ok(kc, ['apply', '--server-side', '-f', file]), /deployment\.apps\/api serverside-applied/);
    const explained = await ok(kc, ['explain', 'deployment.spec.replicas']);
    assert.match(explained, /^FIELD:\s+replicas <integer>$/m);
  });
});

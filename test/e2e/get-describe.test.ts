import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parse } from 'yaml';
import { startServerProcess, type ServerProcess } from '../support/minato-server.ts';
import type { Kubectl } from '../support/kubectl.ts';
import { clients, deploymentManifest, manifestFile, ok, startKubectl, uniqueName, VERSIONS } from './e2e-helpers.ts';

/** Rows of a kubectl table, split on runs of two or more spaces (cells may contain single spaces). */
function rows(table: string): string[][] {
  return table
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s{2,}/));
}

describe('kubectl get and describe against minato server', () => {
  let server: ServerProcess;
  let k: Record<string, Kubectl>;
  let ns: string;
  before(async () => {
    // The API server alone: these views assert stored objects, which controllers would change under them.
    server = await startServerProcess({ extraArgs: ['--disable-controllers'] });
    k = clients(server.kubeconfig);
    ns = uniqueName('view');
    const kc = k['1.33'] as Kubectl;
    await ok(kc, ['create', 'namespace', ns]);
    const service = `apiVersion: v1\nkind: Service\nmetadata:\n  name: front\n  namespace: ${ns}\n  labels:\n    app: front\nspec:\n  selector:\n    app: front\n  ports:\n    - name: http\n      port: 80\n      targetPort: 8080\n`;
    const configMap = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: ${ns}\n  labels:\n    app: front\ndata:\n  color: blue\n  size: large\n`;
    const docs = [
      deploymentManifest({ name: 'front', namespace: ns, containers: [{ name: 'nginx', image: 'nginx:1.25' }] }),
      deploymentManifest({ name: 'back', namespace: ns, replicas: 1, containers: [{ name: 'api', image: 'api:2' }] }),
      deploymentManifest({ name: 'admin', namespace: ns, replicas: 1, containers: [{ name: 'ui', image: 'ui:3' }] }),
      service,
      configMap,
    ];
    await ok(kc, ['apply', '-f', manifestFile(docs.join('---\n'))]);
  });
  after(async () => server?.dispose());

  for (const v of VERSIONS) {
    test(`${v}: get in every output format`, async () => {
      const kc = k[v] as Kubectl;
      const [table, wide, yaml, json, jsonpath, names] = await Promise.all([
        ok(kc, ['get', 'deployments', '-n', ns]),
        ok(kc, ['get', 'deployments', '-n', ns, '-o', 'wide']),
        ok(kc, ['get', 'deployment', 'front', '-n', ns, '-o', 'yaml']),
        ok(kc, ['get', 'configmap', 'settings', '-n', ns, '-o', 'json']),
        ok(kc, ['get', 'deployments', '-n', ns, '-o', 'jsonpath={.items[*].metadata.name}']),
        ok(kc, ['get', 'deployments', '-n', ns, '-o', 'name']),
      ]);
      assert.deepEqual(rows(table)[0], ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE']);
      assert.deepEqual(rows(table).slice(1).map((r) => r[0]).sort(), ['admin', 'back', 'front']);
      assert.deepEqual(rows(table).find((r) => r[0] === 'front')?.slice(1, 4), ['0/2', '0', '0']);
      assert.deepEqual(rows(wide)[0], ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR']);
      assert.deepEqual(rows(wide).find((r) => r[0] === 'front')?.slice(5), ['nginx', 'nginx:1.25', 'app=front']);
      const deployment = parse(yaml) as { kind: string; metadata: { name: string; namespace: string; uid: string }; spec: { replicas: number } };
      assert.equal(deployment.kind, 'Deployment');
      assert.equal(deployment.metadata.namespace, ns);
      assert.match(deployment.metadata.uid, /^[0-9a-f-]{36}$/);
      assert.equal(deployment.spec.replicas, 2);
      assert.deepEqual((JSON.parse(json) as { data: unknown }).data, { color: 'blue', size: 'large' });
      assert.deepEqual(jsonpath.split(' ').sort(), ['admin', 'back', 'front']);
      assert.deepEqual(names.trim().split('\n').sort(), ['deployment.apps/admin', 'deployment.apps/back', 'deployment.apps/front']);
    });

    test(`${v}: get with label selectors, all namespaces, labels and sorting`, async () => {
      const kc = k[v] as Kubectl;
      const [selected, none, everywhere, labelled, sorted, service] = await Promise.all([
        ok(kc, ['get', 'deployments', '-n', ns, '-l', 'app in (front,back)', '-o', 'name']),
        kc(['get', 'deployments', '-n', ns, '-l', 'app=nothing']),
        ok(kc, ['get', 'configmaps', '-A']),
        ok(kc, ['get', 'deployments', '-n', ns, '--show-labels']),
        ok(kc, ['get', 'deployments', '-n', ns, '--sort-by=.metadata.name']),
        ok(kc, ['get', 'service', 'front', '-n', ns]),
      ]);
      assert.deepEqual(selected.trim().split('\n').sort(), ['deployment.apps/back', 'deployment.apps/front']);
      assert.equal(none.code, 0);
      assert.match(none.stderr, new RegExp(`No resources found in ${ns} namespace`));
      assert.deepEqual(rows(everywhere)[0], ['NAMESPACE', 'NAME', 'DATA', 'AGE']);
      assert.ok(rows(everywhere).some((r) => r[0] === ns && r[1] === 'settings' && r[2] === '2'), everywhere);
      assert.equal(rows(labelled)[0]?.at(-1), 'LABELS');
      assert.equal(rows(labelled).find((r) => r[0] === 'front')?.at(-1), 'app=front,tier=web');
      assert.deepEqual(rows(sorted).slice(1).map((r) => r[0]), ['admin', 'back', 'front']);
      assert.deepEqual(rows(service)[0], ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE']);
      const row = rows(service)[1] ?? [];
      assert.equal(row[1], 'ClusterIP');
      assert.match(row[2] ?? '', /^10\.96\.\d+\.\d+$/);
      assert.equal(row[4], '80/TCP');
    });

    test(`${v}: get -w prints a row for a change made while watching`, async () => {
      const kc = k[v] as Kubectl;
      const wns = uniqueName('watch');
      await ok(kc, ['create', 'namespace', wns]);
      await ok(kc, ['create', 'configmap', 'first', '-n', wns, '--from-literal=a=1']);
      const watching = startKubectl(kc, server.kubeconfig, ['get', 'configmaps', '-n', wns, '-w']);
      try {
        await watching.waitFor(/^first\s+1\s/m);
        await ok(kc, ['create', 'configmap', 'second', '-n', wns, '--from-literal=a=1', '--from-literal=b=2']);
        await watching.waitFor(/^second\s+2\s/m);
        await ok(kc, ['patch', 'configmap', 'first', '-n', wns, '--type=merge', '-p', '{"data":{"b":"2","c":"3"}}']);
        await watching.waitFor(/^first\s+3\s/m);
      } finally {
        await watching.stop();
      }
    });
  }

  test('1.33 and 1.29: describe deployment, service, namespace and configmap', async () => {
    const runs = VERSIONS.flatMap((v) => {
      const kc = k[v] as Kubectl;
      return [
        ok(kc, ['describe', 'deployment', 'front', '-n', ns]),
        ok(kc, ['describe', 'service', 'front', '-n', ns]),
        ok(kc, ['describe', 'namespace', ns]),
        ok(kc, ['describe', 'configmap', 'settings', '-n', ns]),
      ];
    });
    const outputs = await Promise.all(runs);
    for (let i = 0; i < outputs.length; i += 4) {
      const [deployment, service, namespace, configMap] = outputs.slice(i, i + 4) as [string, string, string, string];
      assert.match(deployment, /^Name:\s+front$/m);
      assert.match(deployment, new RegExp(`^Namespace:\\s+${ns}$`, 'm'));
      assert.match(deployment, /^Selector:\s+app=front$/m);
      assert.match(deployment, /^Replicas:\s+2 desired \| 0 updated \| 0 total \| 0 available \| 0 unavailable$/m);
      assert.match(deployment, /^StrategyType:\s+RollingUpdate$/m);
      assert.match(deployment, /^\s+Image:\s+nginx:1\.25$/m);
      assert.match(deployment, /^\s+Port:\s+80\/TCP$/m);
      assert.match(service, /^Type:\s+ClusterIP$/m);
      assert.match(service, /^IP:\s+10\.96\.\d+\.\d+$/m);
      assert.match(service, /^Port:\s+http\s+80\/TCP$/m);
      assert.match(service, /^TargetPort:\s+8080\/TCP$/m);
      assert.match(service, /^Selector:\s+app=front$/m);
      assert.match(namespace, new RegExp(`^Name:\\s+${ns}$`, 'm'));
      assert.match(namespace, /^Status:\s+Active$/m);
      assert.match(configMap, /^Name:\s+settings$/m);
      assert.match(configMap, /^color:\n-+\nblue$/m);
    }
  });

  test('dispatcher: get and describe pick the matching kubectl', async () => {
    const kc = k.dispatcher as Kubectl;
    const [table, described] = await Promise.all([ok(kc, ['get', 'deployments', '-n', ns]), ok(kc, ['describe', 'deployment', 'back', '-n', ns])]);
    assert.deepEqual(rows(table)[0], ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE']);
    assert.match(described, /^Name:\s+back$/m);
  });
});

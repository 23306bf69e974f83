import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { kubectl, ok, type Kubectl } from '../support/kubectl.ts';
import { simulatedClusterForSuite } from '../support/sim-nodes-process.ts';
import { eventually } from '../support/eventually.ts';
import { freshNamespace, getJson, manifestFile, VERSIONS } from './e2e-helpers.ts';

/** A Deployment whose pods use an emptyDir, so drain needs `--delete-emptydir-data`. */
function cacheDeployment(ns: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: db
  namespace: ${ns}
spec:
  replicas: 1
  selector:
    matchLabels:
      app: db
  template:
    metadata:
      labels:
        app: db
    spec:
      containers:
        - name: db
          image: mysql:8
          volumeMounts:
            - name: scratch
              mountPath: /scratch
      volumes:
        - name: scratch
          emptyDir: {}
`;
}

async function podsOf(k: Kubectl, ns: string): Promise<Pod[]> {
  return (await getJson<{ items: Pod[] }>(k, ['-n', ns, 'pods', '-l', 'app=db'])).items;
}

async function disruptionsAllowed(k: Kubectl, ns: string, expected: number): Promise<void> {
  await eventually(async () => assert.equal(await ok(k, ['-n', ns, 'get', 'pdb', 'db', '-o', 'jsonpath={.status.disruptionsAllowed}']), String(expected)), 15_000);
}

/**
 * `kubectl drain` and `uncordon` of a simulated node: the Eviction API refuses (429) while a
 * PodDisruptionBudget would be violated, kubectl retries until its timeout, and the drain succeeds
 * once the Deployment has a spare replica elsewhere. Tests share the nodes, so they run in order.
 */
describe('kubectl drain and uncordon of simulated nodes, honoring a PodDisruptionBudget', () => {
  const server = simulatedClusterForSuite();

  for (const v of VERSIONS) {
    test(`${v}: drain is refused by the PDB, succeeds after scaling, then uncordon`, async () => {
      const k = kubectl(v, server.kubeconfig);
      const ns = await freshNamespace(k, 'drain');
      const n = ['-n', ns];
      await ok(k, ['apply', '-f', manifestFile(cacheDeployment(ns))]);
      await ok(k, [...n, 'rollout', 'status', 'deployment/db', '--timeout=30s']);
      assert.match(await ok(k, [...n, 'create', 'pdb', 'db', '--selector=app=db', '--min-available=1']), /poddisruptionbudget.policy\/db created/);
      await disruptionsAllowed(k, ns, 0);
      const [pod] = await podsOf(k, ns);
      const node = pod?.spec?.nodeName ?? '';
      assert.match(node, /^sim-node-\d$/);

      const blocked = await k(['drain', node, '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=2s']);
      assert.notEqual(blocked.code, 0);
      assert.match(blocked.stdout, new RegExp(`node/${node} cordoned`));
      assert.match(blocked.stderr, /Cannot evict pod as it would violate the pod's disruption budget/);
      assert.match(blocked.stderr, /global timeout reached: 2s/);
      assert.match(await ok(k, ['get', 'node', node]), new RegExp(`${node}\\s+Ready,SchedulingDisabled\\s`));
      assert.equal((await podsOf(k, ns))[0]?.metadata?.name, pod?.metadata?.name, 'the protected pod is still there');

      await ok(k, [...n, 'scale', 'deployment/db', '--replicas=2']);
      await ok(k, [...n, 'rollout', 'status', 'deployment/db', '--timeout=30s']);
      await disruptionsAllowed(k, ns, 1);
      const drained = await ok(k, ['drain', node, '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=30s']);
      assert.match(drained, new RegExp(`pod/${pod?.metadata?.name ?? '-'} evicted`));
      assert.match(drained, new RegExp(`node/${node} drained`));
      await eventually(async () => {
        const pods = await podsOf(k, ns);
        assert.equal(pods.filter((p) => p.status?.phase === 'Running').length, 2);
        assert.ok(pods.every((p) => p.spec?.nodeName !== node && !p.metadata?.deletionTimestamp));
      }, 20_000);

      assert.match(await ok(k, ['uncordon', node]), new RegExp(`node/${node} uncordoned`));
      assert.match(await ok(k, ['get', 'node', node]), new RegExp(`${node}\\s+Ready\\s`));
      await ok(k, ['delete', 'namespace', ns, '--timeout=60s']);
    });
  }
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import { ALL_CONTROLLERS } from '../../src/controllers/all-controllers.ts';
import { kubectl, ok, type Kubectl } from '../support/kubectl.ts';
import { simulatedClusterForSuite } from '../support/sim-nodes-process.ts';
import { eventually } from '../support/eventually.ts';
import { freshNamespace, getJson, manifestFile, VERSIONS } from './e2e-helpers.ts';

const MISSING = ['statefulset', 'volumebinder'].filter((c) => !(c in ALL_CONTROLLERS));

/**
 * Pre-created volumes of a class without a provisioner (static provisioning), so the test does
 * not depend on which dynamic provisioners `minato server` registers. The paths are never used:
 * simulated nodes mount nothing.
 */
function volumes(ns: string, count: number): string {
  const pv = (i: number) => `apiVersion: v1
kind: PersistentVolume
metadata:
  name: ${ns}-pv-${i}
spec:
  storageClassName: ${ns}-manual
  capacity:
    storage: 1Gi
  accessModes: [ReadWriteOnce]
  persistentVolumeReclaimPolicy: Retain
  hostPath:
    path: /tmp/minato-e2e/${ns}/${i}
`;
  const sc = `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: ${ns}-manual
provisioner: kubernetes.io/no-provisioner
volumeBindingMode: Immediate
`;
  return [sc, ...Array.from({ length: count }, (_, i) => pv(i))].join('---\n');
}

function statefulSet(ns: string): string {
  return `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: ${ns}
spec:
  clusterIP: None
  selector:
    app: web
  ports:
    - port: 80
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
  namespace: ${ns}
spec:
  serviceName: web
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: nginx
          image: nginx:1.25
          volumeMounts:
            - name: www
              mountPath: /usr/share/nginx/html
  volumeClaimTemplates:
    - metadata:
        name: www
      spec:
        storageClassName: ${ns}-manual
        accessModes: [ReadWriteOnce]
        resources:
          requests:
            storage: 1Gi
`;
}

async function pod(k: Kubectl, ns: string, name: string): Promise<Pod> {
  return getJson<Pod>(k, ['-n', ns, 'pod', name]);
}

/**
 * A StatefulSet with volumeClaimTemplates under kubectl: stable pod names, one claim per ordinal,
 * a deleted pod recreated with the same name and claim, claims retained on scale-down.
 */
describe('kubectl StatefulSet with volumeClaimTemplates against minato server with simulated nodes', { skip: MISSING.length > 0 && `controllers not registered yet: ${MISSING.join(', ')}` }, () => {
  const server = simulatedClusterForSuite();

  for (const v of VERSIONS) {
    test(`${v}: delete pod web-0 → recreated with the same name and claim; scale down keeps claims`, async () => {
      const k = kubectl(v, server.kubeconfig);
      const ns = await freshNamespace(k, 'sts');
      const n = ['-n', ns];
      await ok(k, ['apply', '-f', manifestFile(volumes(ns, 2))]);
      await ok(k, ['apply', '-f', manifestFile(statefulSet(ns))]);
      const status = await ok(k, [...n, 'rollout', 'status', 'statefulset/web', '--timeout=60s']);
      assert.match(status, /partitioned roll out complete: 2 new pods have been updated|statefulset rolling update complete 2 pods at revision web-\w+/);
      assert.match(await ok(k, [...n, 'get', 'statefulset', 'web']), /web\s+2\/2\s/);

      const claims = await getJson<{ items: PersistentVolumeClaim[] }>(k, [...n, 'pvc']);
      assert.deepEqual(claims.items.map((c) => [c.metadata?.name, c.status?.phase]).sort(), [
        ['www-web-0', 'Bound'],
        ['www-web-1', 'Bound'],
      ]);
      const volumeOf0 = claims.items.find((c) => c.metadata?.name === 'www-web-0')?.spec?.volumeName;
      assert.match(volumeOf0 ?? '', new RegExp(`^${ns}-pv-\\d$`));

      const before0 = await pod(k, ns, 'web-0');
      assert.equal(before0.spec?.volumes?.find((vol) => vol.name === 'www')?.persistentVolumeClaim?.claimName, 'www-web-0');
      assert.match(await ok(k, [...n, 'delete', 'pod', 'web-0']), /pod "web-0" deleted/);
      const after0 = await eventually(async () => {
        const p = await pod(k, ns, 'web-0');
        assert.notEqual(p.metadata?.uid, before0.metadata?.uid);
        assert.equal(p.status?.phase, 'Running');
        return p;
      }, 30_000);
      assert.equal(after0.spec?.volumes?.find((vol) => vol.name === 'www')?.persistentVolumeClaim?.claimName, 'www-web-0');
      assert.equal(await ok(k, [...n, 'get', 'pvc', 'www-web-0', '-o', 'jsonpath={.spec.volumeName}']), volumeOf0);
      assert.match(await ok(k, [...n, 'get', 'pods']), /web-0\s+1\/1\s+Running\s[\s\S]*web-1\s+1\/1\s+Running\s/);

      assert.match(await ok(k, [...n, 'scale', 'statefulset/web', '--replicas=1']), /statefulset.apps\/web scaled/);
      await eventually(async () => assert.notEqual((await k([...n, 'get', 'pod', 'web-1'])).code, 0), 30_000);
      assert.match(await ok(k, [...n, 'get', 'pvc', 'www-web-1']), /www-web-1\s+Bound\s/);
      const events = await ok(k, [...n, 'get', 'events']);
      assert.match(events, /SuccessfulCreate\s+statefulset\/web\s+create Pod web-0 in StatefulSet web successful/);
      assert.match(events, /SuccessfulDelete\s+statefulset\/web\s+delete Pod web-1 in StatefulSet web successful/);
    });
  }
});

import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dirname } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Deployment } from 'kubernetes-types/apps/v1.js';
import type { ConfigMap, Secret } from 'kubernetes-types/core/v1.js';
import { startServerProcess, type ServerProcess } from '../support/minato-server.ts';
import type { Kubectl } from '../support/kubectl.ts';
import { clients, deploymentManifest, freshNamespace, getJson, manifestFile, ok, VERSIONS } from './e2e-helpers.ts';

/** An EDITOR that rewrites the file kubectl hands it with a sed expression. */
function sedEditor(expression: string): string {
  const script = join(dirname(manifestFile('')), 'editor.sh');
  writeFileSync(script, `#!/bin/sh\nexec sed -i '${expression}' "$1"\n`);
  chmodSync(script, 0o755);
  return script;
}

async function expectFailure(k: Kubectl, args: string[], stderr: RegExp, opts?: { input?: string }): Promise<void> {
  const r = await k(args, opts);
  assert.notEqual(r.code, 0, `${args.join(' ')} should fail\n${r.stdout}`);
  assert.match(r.stderr, stderr);
}

describe('kubectl commands that change objects', () => {
  let server: ServerProcess;
  let k: Record<string, Kubectl>;
  before(async () => {
    server = await startServerProcess();
    k = clients(server.kubeconfig);
  });
  after(async () => server?.dispose());

  for (const v of VERSIONS) {
    test(`${v}: create namespace, configmap, secret and deployment imperatively`, async () => {
      const kc = k[v] as Kubectl;
      const ns = await freshNamespace(kc, 'create');
      const out = await Promise.all([
        ok(kc, ['create', 'configmap', 'cfg', '-n', ns, '--from-literal=a=1', '--from-literal=b=two']),
        ok(kc, ['create', 'secret', 'generic', 'creds', '-n', ns, '--from-literal=user=admin']),
        ok(kc, ['create', 'deployment', 'web', '-n', ns, '--image=nginx:1.25', '--replicas=3', '--port=80']),
      ]);
      assert.deepEqual(out, ['configmap/cfg created\n', 'secret/creds created\n', 'deployment.apps/web created\n']);
      const [cm, secret, deployment] = await Promise.all([getJson<ConfigMap>(kc, ['configmap', 'cfg', '-n', ns]), getJson<Secret>(kc, ['secret', 'creds', '-n', ns]), getJson<Deployment>(kc, ['deployment', 'web', '-n', ns])]);
      assert.deepEqual(cm.data, { a: '1', b: 'two' });
      assert.equal(secret.type, 'Opaque');
      assert.equal(Buffer.from(secret.data?.user ?? '', 'base64').toString(), 'admin');
      assert.equal(deployment.spec?.replicas, 3);
      assert.deepEqual(deployment.spec?.selector.matchLabels, { app: 'web' });
      assert.equal(deployment.spec?.template.spec?.containers[0]?.image, 'nginx:1.25');
      await expectFailure(kc, ['create', 'configmap', 'cfg', '-n', ns], /configmaps "cfg" already exists/);
    });

    test(`${v}: label, annotate, scale and patch with json, merge and strategic patches`, async () => {
      const kc = k[v] as Kubectl;
      const ns = await freshNamespace(kc, 'patch');
      await ok(kc, ['apply', '-f', manifestFile(deploymentManifest({ name: 'web', namespace: ns, containers: [{ name: 'web', image: 'nginx:1.25', env: { A: '1', B: '2' } }] }))]);
      assert.equal(await ok(kc, ['label', 'deployment', 'web', '-n', ns, 'team=blue']), 'deployment.apps/web labeled\n');
      await ok(kc, ['annotate', 'deployment', 'web', '-n', ns, 'note=hello world']);
      await ok(kc, ['label', 'deployment', 'web', '-n', ns, 'tier-']);
      await expectFailure(kc, ['label', 'deployment', 'web', '-n', ns, 'team=red'], /already has a value \(blue\)/);
      await ok(kc, ['label', 'deployment', 'web', '-n', ns, 'team=red', '--overwrite']);
      assert.match(await ok(kc, ['scale', 'deployment', 'web', '-n', ns, '--replicas=4']), /deployment\.apps\/web scaled/);
      await ok(kc, ['patch', 'deployment', 'web', '-n', ns, '--type=json', '-p', '[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"nginx:1.26"}]']);
      await ok(kc, ['patch', 'deployment', 'web', '-n', ns, '--type=merge', '-p', '{"spec":{"minReadySeconds":5}}']);
      // Strategic: the env list merges by name, so B changes and A stays; $patch: delete removes one entry.
      await ok(kc, ['patch', 'deployment', 'web', '-n', ns, '--type=strategic', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"web","env":[{"name":"B","value":"3"},{"name":"C","value":"4"}]}]}}}}']);
      await ok(kc, ['patch', 'deployment', 'web', '-n', ns, '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"web","env":[{"name":"A","$patch":"delete"}]}]}}}}']);
      const d = await getJson<Deployment>(kc, ['deployment', 'web', '-n', ns]);
      assert.deepEqual(d.metadata?.labels, { app: 'web', team: 'red' });
      assert.equal(d.metadata?.annotations?.note, 'hello world');
      assert.equal(d.spec?.replicas, 4);
      assert.equal(d.spec?.minReadySeconds, 5);
      const container = d.spec?.template.spec?.containers[0];
      assert.equal(container?.image, 'nginx:1.26');
      assert.deepEqual(container?.env, [
        { name: 'B', value: '3' },
        { name: 'C', value: '4' },
      ]);
      const noop = await ok(kc, ['patch', 'deployment', 'web', '-n', ns, '--type=merge', '-p', '{"spec":{"minReadySeconds":5}}']);
      assert.match(noop, /deployment\.apps\/web patched \(no change\)/);
      await expectFailure(kc, ['patch', 'deployment', 'missing', '-n', ns, '--type=merge', '-p', '{}'], /NotFound.*deployments\.apps "missing" not found/);
      await expectFailure(kc, ['patch', 'deployment', 'web', '-n', ns, '--type=json', '-p', '[{"op":"test","path":"/spec/replicas","value":9}]'], /test/i);
    });

    test(`${v}: edit with EDITOR, replace and a stale replace`, async () => {
      const kc = k[v] as Kubectl;
      const ns = await freshNamespace(kc, 'edit');
      await ok(kc, ['create', 'configmap', 'cfg', '-n', ns, '--from-literal=color=blue']);
      const edited = await ok(kc, ['edit', 'configmap', 'cfg', '-n', ns], { env: { EDITOR: sedEditor('s/color: blue/color: green/'), KUBE_EDITOR: '' } });
      assert.match(edited, /configmap\/cfg edited/);
      const current = await getJson<ConfigMap>(kc, ['configmap', 'cfg', '-n', ns]);
      assert.deepEqual(current.data, { color: 'green' });

      const stale = structuredClone(current);
      const fresh = { ...structuredClone(current), data: { color: 'red' } };
      assert.match(await ok(kc, ['replace', '-f', '-'], { input: JSON.stringify(fresh) }), /configmap\/cfg replaced/);
      assert.deepEqual((await getJson<ConfigMap>(kc, ['configmap', 'cfg', '-n', ns])).data, { color: 'red' });
      // Same resourceVersion again: it is now stale.
      stale.data = { color: 'black' };
      await expectFailure(kc, ['replace', '-f', '-'], /Conflict.*the object has been modified; please apply your changes to the latest version and try again/, { input: JSON.stringify(stale) });
      assert.deepEqual((await getJson<ConfigMap>(kc, ['configmap', 'cfg', '-n', ns])).data, { color: 'red' });
    });

    test(`${v}: run, expose, autoscale, set image and create cronjob/job/ingress/pdb/quota`, async () => {
      const kc = k[v] as Kubectl;
      const ns = await freshNamespace(kc, 'kinds');
      await ok(kc, ['create', 'deployment', 'web', '-n', ns, '--image=nginx:1.25', '--replicas=2']);
      const made = await Promise.all([
        ok(kc, ['run', 'solo', '-n', ns, '--image=busybox', '--labels=app=solo', '--', 'sleep', '1000']),
        ok(kc, ['expose', 'deployment', 'web', '-n', ns, '--port=80', '--target-port=8080']),
        ok(kc, ['autoscale', 'deployment', 'web', '-n', ns, '--min=1', '--max=5', '--cpu-percent=50']),
        ok(kc, ['set', 'image', 'deployment/web', '-n', ns, 'nginx=nginx:1.27']),
        ok(kc, ['create', 'cronjob', 'tick', '-n', ns, '--image=busybox', '--schedule=*/5 * * * *', '--', 'echo', 'hi']),
        ok(kc, ['create', 'ingress', 'ing', '-n', ns, '--rule=shop.example.com/=web:80']),
        ok(kc, ['create', 'pdb', 'web', '-n', ns, '--selector=app=web', '--min-available=1']),
        ok(kc, ['create', 'quota', 'small', '-n', ns, '--hard=pods=10']),
      ]);
      assert.deepEqual(made, [
        'pod/solo created\n',
        'service/web exposed\n',
        'horizontalpodautoscaler.autoscaling/web autoscaled\n',
        'deployment.apps/web image updated\n',
        'cronjob.batch/tick created\n',
        'ingress.networking.k8s.io/ing created\n',
        'poddisruptionbudget.policy/web created\n',
        'resourcequota/small created\n',
      ]);
      assert.equal(await ok(kc, ['create', 'job', 'once', '-n', ns, '--from=cronjob/tick']), 'job.batch/once created\n');
      const [pods, described, hpa, image] = await Promise.all([
        ok(kc, ['get', 'pods', '-n', ns, '-o', 'wide']),
        ok(kc, ['describe', 'pod', 'solo', '-n', ns]),
        ok(kc, ['get', 'hpa', 'web', '-n', ns]),
        ok(kc, ['get', 'deployment', 'web', '-n', ns, '-o', 'jsonpath={.spec.template.spec.containers[0].image}']),
      ]);
      assert.match(pods, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES$/m);
      assert.match(pods, /^solo\s+0\/1\s+Pending\s+0\s+\S+\s+<none>\s+<none>/m);
      assert.match(described, /^Status:\s+Pending$/m);
      assert.match(described, /^QoS Class:\s+BestEffort$/m);
      assert.match(hpa, /^web\s+Deployment\/web\s+cpu: <unknown>\/50%\s+1\s+5\s+/m);
      assert.equal(image, 'nginx:1.27');
      // autoscaling/v1 is served from the autoscaling/v2 objects: writes through v1 convert both ways.
      await ok(kc, ['patch', 'horizontalpodautoscalers.v1.autoscaling', 'web', '-n', ns, '--type=merge', '-p', '{"spec":{"maxReplicas":7,"targetCPUUtilizationPercentage":70}}']);
      const v1 = await getJson<{ apiVersion: string; spec: { maxReplicas: number; targetCPUUtilizationPercentage: number } }>(kc, ['horizontalpodautoscalers.v1.autoscaling', 'web', '-n', ns]);
      assert.deepEqual([v1.apiVersion, v1.spec.maxReplicas, v1.spec.targetCPUUtilizationPercentage], ['autoscaling/v1', 7, 70]);
      const v2 = await getJson<{ spec: { metrics: Array<{ resource: { target: { averageUtilization: number } } }> } }>(kc, ['horizontalpodautoscalers.v2.autoscaling', 'web', '-n', ns]);
      assert.equal(v2.spec.metrics[0]?.resource.target.averageUtilization, 70);
      // An unscheduled pod has no kubelet to wait for: it goes at once.
      assert.equal(await ok(kc, ['delete', 'pod', 'solo', '-n', ns, '--timeout=20s']), 'pod "solo" deleted\n');
    });

    test(`${v}: delete with --cascade and --wait, deletecollection by label`, async () => {
      const kc = k[v] as Kubectl;
      const ns = await freshNamespace(kc, 'del');
      await Promise.all([
        ok(kc, ['create', 'deployment', 'bg', '-n', ns, '--image=nginx']),
        ok(kc, ['create', 'deployment', 'orphan', '-n', ns, '--image=nginx']),
        ok(kc, ['create', 'configmap', 'one', '-n', ns, '--from-literal=a=1']),
        ok(kc, ['create', 'configmap', 'two', '-n', ns, '--from-literal=a=1']),
      ]);
      await ok(kc, ['label', 'configmap', 'one', 'two', '-n', ns, 'batch=x']);
      const [bg, orphan, collection] = await Promise.all([
        ok(kc, ['delete', 'deployment', 'bg', '-n', ns, '--cascade=background', '--wait']),
        ok(kc, ['delete', 'deployment', 'orphan', '-n', ns, '--cascade=orphan', '--wait=false']),
        ok(kc, ['delete', 'configmaps', '-n', ns, '-l', 'batch=x']),
      ]);
      assert.equal(bg, 'deployment.apps "bg" deleted\n');
      assert.equal(orphan, 'deployment.apps "orphan" deleted\n');
      assert.deepEqual(collection.trim().split('\n').sort(), ['configmap "one" deleted', 'configmap "two" deleted']);
      // Orphaning is the garbage collector's job: until it has run, the owner waits behind the orphan
      // finalizer; removing the finalizer by hand completes the deletion just the same.
      const waiting = await kc(['get', 'deployment', 'orphan', '-n', ns, '-o', 'json']);
      if (waiting.code === 0) {
        const pending = JSON.parse(waiting.stdout) as Deployment;
        assert.deepEqual(pending.metadata?.finalizers, ['orphan']);
        assert.ok(pending.metadata?.deletionTimestamp);
        const removed = await kc(['patch', 'deployment', 'orphan', '-n', ns, '--type=json', '-p', '[{"op":"remove","path":"/metadata/finalizers"}]']);
        assert.ok(removed.code === 0 || /NotFound/.test(removed.stderr), removed.stderr);
      } else assert.match(waiting.stderr, /NotFound/);
      const left = await kc(['get', 'deployments,configmaps', '-n', ns, '-o', 'name']);
      // Every namespace keeps the cluster CA ConfigMap, as on a real cluster.
      assert.deepEqual(left.stdout.split('\n').filter((l) => l && l !== 'configmap/kube-root-ca.crt'), []);
      await expectFailure(kc, ['delete', 'deployment', 'bg', '-n', ns], /NotFound.*deployments\.apps "bg" not found/);
      assert.match(await ok(kc, ['delete', 'namespace', ns, '--wait=false']), new RegExp(`namespace "${ns}" deleted`));
    });
  }
});

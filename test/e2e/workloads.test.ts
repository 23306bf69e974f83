import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Event, Pod } from 'kubernetes-types/core/v1.js';
import { kubectl, ok, type Kubectl } from '../support/kubectl.ts';
import { simulatedClusterForSuite } from '../support/sim-nodes-process.ts';
import { eventually } from '../support/eventually.ts';
import { freshNamespace, getJson, VERSIONS } from './e2e-helpers.ts';

interface List<T> {
  items: T[];
}

const REVISION = 'deployment.kubernetes.io/revision';

/** The Deployment's first container image, as kubectl sees it. */
async function imageOf(k: Kubectl, ns: string, name: string): Promise<string> {
  return ok(k, ['-n', ns, 'get', 'deployment', name, '-o', 'jsonpath={.spec.template.spec.containers[0].image}']);
}

/** The Deployment's ReplicaSets, oldest revision first. */
async function replicaSets(k: Kubectl, ns: string, app: string): Promise<ReplicaSet[]> {
  const list = await getJson<List<ReplicaSet>>(k, ['-n', ns, 'rs', '-l', `app=${app}`]);
  return list.items.sort((a, b) => Number(a.metadata?.annotations?.[REVISION]) - Number(b.metadata?.annotations?.[REVISION]));
}

/** Revision numbers listed by `rollout history`. */
function historyRevisions(out: string): string[] {
  return [...out.matchAll(/^(\d+)\s/gm)].map((m) => m[1] ?? '');
}

async function rolledOut(k: Kubectl, ns: string, name: string): Promise<string> {
  const out = await ok(k, ['-n', ns, 'rollout', 'status', `deployment/${name}`, '--timeout=60s']);
  assert.match(out, new RegExp(`deployment "${name}" successfully rolled out`));
  return out;
}

/**
 * The kubectl workload UX on a control plane (API server, controllers, scheduler in `minato
 * server`) with simulated nodes: Deployments through their whole rollout life, Jobs, events,
 * describe, namespace deletion. Simulated nodes only move pod phases; nothing runs. Each test has
 * its own namespace, so they run concurrently.
 */
describe('kubectl workloads against minato server with simulated nodes', { concurrency: true }, () => {
  const server = simulatedClusterForSuite();

  for (const v of VERSIONS) {
    test(`${v}: create deployment, scale, set image, rollout status|history|undo|restart|pause|resume, describe, events`, async () => {
      const k = kubectl(v, server.kubeconfig);
      const ns = await freshNamespace(k, 'rollout');
      const n = ['-n', ns];

      assert.match(await ok(k, [...n, 'create', 'deployment', 'web', '--image=nginx:1.25', '--replicas=3']), /deployment.apps\/web created/);
      await rolledOut(k, ns, 'web');
      assert.match(await ok(k, [...n, 'wait', '--for=condition=available', 'deployment/web', '--timeout=10s']), /deployment.apps\/web condition met/);
      assert.match(await ok(k, [...n, 'get', 'deployment', 'web']), /web\s+3\/3\s+3\s+3\s/);

      assert.match(await ok(k, [...n, 'scale', 'deployment', 'web', '--replicas=5']), /deployment.apps\/web scaled/);
      await rolledOut(k, ns, 'web');
      const pods = await getJson<List<Pod>>(k, [...n, 'pods', '-l', 'app=web']);
      assert.equal(pods.items.length, 5);
      assert.ok(pods.items.every((p) => p.status?.phase === 'Running' && p.spec?.nodeName?.startsWith('sim-node-')));

      // What `--record` used to write: the change-cause `rollout history` prints.
      assert.match(await ok(k, [...n, 'set', 'image', 'deployment/web', 'nginx=nginx:1.26']), /deployment.apps\/web image updated/);
      await ok(k, [...n, 'annotate', 'deployment/web', 'kubernetes.io/change-cause=set image nginx:1.26']);
      await rolledOut(k, ns, 'web');
      const history = await eventually(async () => {
        const out = await ok(k, [...n, 'rollout', 'history', 'deployment/web']);
        assert.match(out, /^2\s+set image nginx:1\.26$/m);
        return out;
      });
      assert.deepEqual(historyRevisions(history), ['1', '2']);
      assert.match(await ok(k, [...n, 'rollout', 'history', 'deployment/web', '--revision=2']), /Image:\s+nginx:1\.26/);
      const [first, second] = await replicaSets(k, ns, 'web');
      assert.equal(first?.spec?.replicas, 0);
      assert.equal(second?.spec?.replicas, 5);

      // Undo brings revision 1's ReplicaSet back as revision 3 (no new ReplicaSet).
      assert.match(await ok(k, [...n, 'rollout', 'undo', 'deployment/web']), /deployment.apps\/web rolled back/);
      await rolledOut(k, ns, 'web');
      assert.equal(await imageOf(k, ns, 'web'), 'nginx:1.25');
      const afterUndo = await replicaSets(k, ns, 'web');
      assert.deepEqual(
        afterUndo.map((rs) => [rs.metadata?.name, rs.metadata?.annotations?.[REVISION], rs.spec?.replicas]),
        [
          [second?.metadata?.name, '2', 0],
          [first?.metadata?.name, '3', 5],
        ],
      );
      assert.deepEqual(historyRevisions(await ok(k, [...n, 'rollout', 'history', 'deployment/web'])), ['2', '3']);

      assert.match(await ok(k, [...n, 'rollout', 'undo', 'deployment/web', '--to-revision=2']), /deployment.apps\/web rolled back/);
      await rolledOut(k, ns, 'web');
      assert.equal(await imageOf(k, ns, 'web'), 'nginx:1.26');
      assert.equal((await replicaSets(k, ns, 'web')).length, 2);

      assert.match(await ok(k, [...n, 'rollout', 'restart', 'deployment/web']), /deployment.apps\/web restarted/);
      await rolledOut(k, ns, 'web');
      const afterRestart = await replicaSets(k, ns, 'web');
      assert.equal(afterRestart.length, 3);
      assert.ok(afterRestart.at(-1)?.spec?.template?.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt']);
      assert.deepEqual(
        afterRestart.map((rs) => rs.spec?.replicas),
        [0, 0, 5],
      );

      // Paused: the template change waits, and the Deployment says so.
      assert.match(await ok(k, [...n, 'rollout', 'pause', 'deployment/web']), /deployment.apps\/web paused/);
      const recorded = await k([...n, 'set', 'image', 'deployment/web', 'nginx=nginx:1.27', '--record']);
      assert.equal(recorded.code, 0, recorded.stderr);
      assert.match(recorded.stderr, /--record has been deprecated/);
      await eventually(async () => assert.match(await ok(k, [...n, 'get', 'deployment', 'web', '-o', 'jsonpath={.status.conditions[?(@.type=="Progressing")].reason}']), /^DeploymentPaused$/));
      assert.equal((await replicaSets(k, ns, 'web')).length, 3);
      const stuck = await k([...n, 'rollout', 'status', 'deployment/web', '--timeout=1s']);
      assert.notEqual(stuck.code, 0);
      assert.match(await ok(k, [...n, 'rollout', 'resume', 'deployment/web']), /deployment.apps\/web resumed/);
      await rolledOut(k, ns, 'web');
      const afterResume = await replicaSets(k, ns, 'web');
      assert.equal(afterResume.length, 4);
      assert.equal(afterResume.at(-1)?.spec?.template?.spec?.containers[0]?.image, 'nginx:1.27');
      const lastRevision = (await ok(k, [...n, 'rollout', 'history', 'deployment/web'])).trim().split('\n').at(-1);
      assert.match(lastRevision ?? '', /^6\s+kubectl\S* set image deployment\/web nginx=nginx:1\.27 .*--record=true$/);

      const described = await ok(k, [...n, 'describe', 'deployment', 'web']);
      assert.match(described, /Replicas:\s+5 desired \| 5 updated \| 5 total \| 5 available \| 0 unavailable/);
      assert.match(described, /Available\s+True\s+MinimumReplicasAvailable/);
      assert.match(described, /Progressing\s+True\s+NewReplicaSetAvailable/);
      assert.match(described, new RegExp(`NewReplicaSet:\\s+${afterResume.at(-1)?.metadata?.name ?? '-'} \\(5/5 replicas created\\)`));
      assert.match(described, /Normal\s+ScalingReplicaSet\s+.*deployment-controller\s+Scaled up replica set web-\w+ from 0 to 3/);

      const events = await ok(k, [...n, 'get', 'events']);
      assert.match(events, /Normal\s+Scheduled\s+pod\/web-\w+-\w+\s+Successfully assigned .* to sim-node-\d/);
      assert.match(events, /Normal\s+SuccessfulCreate\s+replicaset\/web-\w+\s+Created pod: web-/);
      assert.match(events, /Normal\s+ScalingReplicaSet\s+deployment\/web\s+Scaled (up|down) replica set/);
      const forDeployment = await ok(k, [...n, 'events', '--for=deployment/web']);
      assert.match(forDeployment, /Normal\s+ScalingReplicaSet\s+Deployment\/web\s+Scaled up replica set web-\w+ from 0 to 3/);
      assert.doesNotMatch(forDeployment, /pod\/|Pod\//, 'only the Deployment\'s events');
      const sources = await getJson<List<Event>>(k, [...n, 'events']);
      const reporters = new Set(sources.items.map((e) => e.source?.component ?? e.reportingComponent));
      for (const c of ['default-scheduler', 'replicaset-controller', 'deployment-controller']) assert.ok(reporters.has(c), `events from ${c}: ${[...reporters].join(', ')}`);

      assert.match(await ok(k, ['delete', 'namespace', ns, '--timeout=60s']), new RegExp(`namespace "${ns}" deleted`));
      const gone = await k(['get', 'pods', '-n', ns, '-o', 'name']);
      assert.equal(gone.stdout.trim(), '');
      assert.match((await k(['get', 'namespace', ns])).stderr, /NotFound|not found/);
    });

    test(`${v}: get rs,pods during a rollout shows the old and the new ReplicaSet`, async () => {
      const k = kubectl(v, server.kubeconfig);
      const ns = await freshNamespace(k, 'midway');
      const n = ['-n', ns];
      await ok(k, [...n, 'create', 'deployment', 'slow', '--image=nginx:1.25', '--replicas=2']);
      await rolledOut(k, ns, 'slow');
      // minReadySeconds keeps each new pod unavailable for 3 s, so the rollout is caught midway.
      await ok(k, [...n, 'patch', 'deployment', 'slow', '-p', '{"spec":{"minReadySeconds":3}}']);
      await ok(k, [...n, 'set', 'image', 'deployment/slow', 'nginx=nginx:1.26']);
      const [oldRs, newRs] = await eventually(async () => {
        const rs = await replicaSets(k, ns, 'slow');
        assert.equal(rs.length, 2);
        return rs;
      });
      const table = await ok(k, [...n, 'get', 'rs,pods', '-o', 'wide']);
      assert.match(table, new RegExp(`replicaset.apps/${oldRs?.metadata?.name ?? '-'}\\s+[12]\\s+[12]\\s.*nginx:1\\.25`));
      assert.match(table, new RegExp(`replicaset.apps/${newRs?.metadata?.name ?? '-'}\\s+1\\s+1\\s.*nginx:1\\.26`));
      assert.match(table, new RegExp(`pod/${oldRs?.metadata?.name ?? '-'}-\\w+\\s`));
      assert.match(table, new RegExp(`pod/${newRs?.metadata?.name ?? '-'}-\\w+\\s`));
      const status = await rolledOut(k, ns, 'slow');
      assert.match(status, /Waiting for deployment "slow" rollout to finish/);
      assert.deepEqual(
        (await replicaSets(k, ns, 'slow')).map((rs) => rs.spec?.replicas),
        [0, 2],
      );
      // Foreground cascade: kubectl returns once the Deployment, its ReplicaSets and pods are gone.
      assert.match(await ok(k, [...n, 'delete', 'deployment', 'slow', '--cascade=foreground', '--timeout=30s']), /deployment.apps "slow" deleted/);
      const left = await k([...n, 'get', 'rs,pods', '-o', 'name']);
      assert.equal(left.stdout.trim(), '', 'nothing left after a foreground delete');
    });

    test(`${v}: a Job runs to completion (wait --for=condition=complete)`, async () => {
      const k = kubectl(v, server.kubeconfig);
      const ns = await freshNamespace(k, 'job');
      const n = ['-n', ns];
      assert.match(await ok(k, [...n, 'create', 'job', 'once', '--image=busybox', '--', 'true']), /job.batch\/once created/);
      assert.match(await ok(k, [...n, 'wait', '--for=condition=complete', 'job/once', '--timeout=30s']), /job.batch\/once condition met/);
      assert.match(await ok(k, [...n, 'get', 'job', 'once']), /once\s+(Complete\s+)?1\/1\s/);
      assert.match(await ok(k, [...n, 'get', 'pods', '-l', 'job-name=once']), /once-\w+\s+0\/1\s+Completed\s/);
      const events = await ok(k, [...n, 'get', 'events']);
      assert.match(events, /Normal\s+SuccessfulCreate\s+job\/once\s+Created pod: once-/);
      assert.match(events, /Normal\s+Completed\s+job\/once\s+Job completed/);
    });
  }
});

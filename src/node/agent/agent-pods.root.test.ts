import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { after, before, describe, it } from 'node:test';
import { PassThrough } from 'node:stream';
import { existsSync } from 'node:fs';
import { R } from '../../client/resource-ref.ts';
import { median } from '../network/testing/host.ts';
import { busyboxPod, eventually, startAgentHarness, type AgentHarness } from './testing/agent-harness.ts';

const containerStatus = (p: Pod) => p.status?.containerStatuses?.[0];

describe('node agent on runc (root)', () => {
  let h: AgentHarness;

  before(async () => {
    h = await startAgentHarness({ backoff: { initialMs: 1000, maxMs: 4000, resetAfterMs: 600_000 }, volumeRefreshMs: 1000 });
    await h.startAgent();
  });

  after(async () => {
    const leftovers = await h?.stop();
    assert.deepEqual(leftovers, { containers: [], netns: [], mounts: [], processes: [], cgroups: [] }, 'host is clean');
  });

  it('registers a Ready node with capacity, labels and nodeInfo, and renews its Lease', async () => {
    const node = await h.cluster.client.get<import('kubernetes-types/core/v1.js').Node>(R.nodes, undefined, h.nodeName);
    assert.equal(node.metadata?.labels?.['kubernetes.io/hostname'], h.nodeName);
    assert.equal(node.metadata?.labels?.['kubernetes.io/os'], 'linux');
    assert.equal(node.status?.capacity?.pods, '110');
    assert.match(node.status?.nodeInfo?.containerRuntimeVersion ?? '', /^runc:\/\//);
    assert.equal(node.status?.nodeInfo?.kubeletVersion, 'v1.33.1-minato');
    assert.equal(node.status?.conditions?.find((c) => c.type === 'Ready')?.status, 'True');
    assert.ok(node.spec?.podCIDR);
    const lease = await h.cluster.client.get<{ spec?: { renewTime?: string } }>(R.leases, 'kube-node-lease', h.nodeName);
    assert.ok(lease.spec?.renewTime);
  });

  it('runs a busybox pod: Running and Ready with a pod IP, containerID runc://', async () => {
    await h.createPod(busyboxPod('web', ['sh', '-c', 'echo hi; sleep 3600']));
    const pod = await eventually('pod Running+Ready', async () => {
      const p = await h.getPod('web');
      return p.status?.phase === 'Running' && p.status.conditions?.find((c) => c.type === 'Ready')?.status === 'True' ? p : undefined;
    });
    assert.match(pod.status?.podIP ?? '', /^10\.\d+\.1\.\d+$/);
    assert.equal(pod.status?.hostIP, '127.0.0.1');
    const cs = containerStatus(pod);
    assert.match(cs?.containerID ?? '', /^runc:\/\//);
    assert.ok(cs?.state?.running?.startedAt);
    assert.equal(cs?.restartCount, 0);
    assert.equal(cs?.ready, true);
    assert.match(cs?.imageID ?? '', /^sha256:/);
    for (const t of ['PodScheduled', 'Initialized', 'ContainersReady', 'Ready']) {
      assert.equal(pod.status?.conditions?.find((c) => c.type === t)?.status, 'True', t);
    }
  });

  /** Runs a command in the pod's first container and returns its stdout. */
  async function execOut(pod: Pod, command: string[]): Promise<string> {
    const id = (containerStatus(pod)?.containerID ?? '').replace('runc://', '');
    const out = new PassThrough();
    let text = '';
    out.on('data', (b: Buffer) => (text += b.toString()));
    const code = await h.runtime.exec(id, command, { stdout: out });
    assert.equal(code, 0, `${command.join(' ')} exited ${code}`);
    return text;
  }

  it('reports Failed with exitCode 3 for restartPolicy Never running `exit 3`', async () => {
    await h.createPod(busyboxPod('exit3', ['sh', '-c', 'exit 3'], { restartPolicy: 'Never' }));
    const pod = await eventually('pod Failed', async () => {
      const p = await h.getPod('exit3');
      return p.status?.phase === 'Failed' ? p : undefined;
    });
    const t = containerStatus(pod)?.state?.terminated;
    assert.equal(t?.exitCode, 3);
    assert.equal(t?.reason, 'Error');
    assert.ok(t?.startedAt && t.finishedAt);
    assert.equal(containerStatus(pod)?.restartCount, 0);
  });

  it('runs init containers in order, then the app; env from ConfigMap, fieldRef and $(VAR) expansion', async () => {
    await h.cluster.client.create(R.configmaps, { metadata: { name: 'settings', namespace: 'default' }, data: { GREETING: 'hello', 'app.conf': 'v=1\n' } });
    await h.createPod({
      metadata: { name: 'inits', labels: { app: 'inits' } },
      spec: {
        terminationGracePeriodSeconds: 1,
        restartPolicy: 'Never',
        initContainers: [
          { name: 'one', image: 'minato.local/busybox:1', command: ['sh', '-c', 'echo one > /work/order'], volumeMounts: [{ name: 'work', mountPath: '/work' }] },
          { name: 'two', image: 'minato.local/busybox:1', command: ['sh', '-c', 'echo two >> /work/order'], volumeMounts: [{ name: 'work', mountPath: '/work' }] },
        ],
        containers: [{
          name: 'main', image: 'minato.local/busybox:1',
          command: ['sh', '-c', 'cat /work/order; echo "$(MSG)"; test "$(cat /work/order | tr "\\n" ,)" = "one,two," && test "$MSG" = "hello from inits" && test -f /var/run/secrets/kubernetes.io/serviceaccount/token && exit 0; exit 1'],
          envFrom: [{ configMapRef: { name: 'settings' } }],
          env: [
            { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
            { name: 'MSG', value: '$(GREETING) from $(POD)' },
          ],
          volumeMounts: [{ name: 'work', mountPath: '/work' }],
        }],
        volumes: [{ name: 'work', emptyDir: {} }],
      },
    });
    const pod = await eventually('pod Succeeded', async () => {
      const p = await h.getPod('inits');
      if (p.status?.phase === 'Failed') throw new Error(`pod failed: ${JSON.stringify(p.status)}`);
      return p.status?.phase === 'Succeeded' ? p : undefined;
    });
    assert.deepEqual(pod.status?.initContainerStatuses?.map((s) => s.state?.terminated?.exitCode), [0, 0]);
    assert.equal(containerStatus(pod)?.state?.terminated?.reason, 'Completed');
  });

  it('shows configMap volume content in the container and updates it when the ConfigMap changes', async () => {
    await h.cluster.client.create(R.configmaps, { metadata: { name: 'files', namespace: 'default' }, data: { 'index.html': 'v1' } });
    await h.createPod({
      metadata: { name: 'cm' },
      spec: {
        terminationGracePeriodSeconds: 1,
        containers: [{ name: 'main', image: 'minato.local/busybox:1', command: ['sleep', '3600'], volumeMounts: [{ name: 'cfg', mountPath: '/etc/config' }] }],
        volumes: [{ name: 'cfg', configMap: { name: 'files' } }],
      },
    });
    const pod = await eventually('cm pod Running', async () => {
      const p = await h.getPod('cm');
      return p.status?.phase === 'Running' ? p : undefined;
    });
    assert.equal(await execOut(pod, ['cat', '/etc/config/index.html']), 'v1');
    const cm = await h.cluster.client.get<{ data?: Record<string, string> }>(R.configmaps, 'default', 'files');
    await h.cluster.client.update(R.configmaps, { ...cm, data: { 'index.html': 'v2' } } as never);
    await eventually('updated file', async () => ((await execOut(pod, ['cat', '/etc/config/index.html'])) === 'v2' ? true : undefined), 15_000, 200);
    assert.match(await execOut(pod, ['ls', '-a', '/etc/config']), /\.\.data/);
  });

  it('mounts a Secret, a memory emptyDir, downwardAPI, a bound claim and the service-account token', async () => {
    await h.cluster.client.create(R.secrets, { metadata: { name: 'creds', namespace: 'default' }, data: { password: Buffer.from('s3cret').toString('base64') } });
    await h.cluster.client.create(R.persistentvolumes, {
      metadata: { name: `pv-${h.id}` },
      spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: `${h.dir}/pv1` }, claimRef: { namespace: 'default', name: 'data' } },
    });
    const pvc = await h.cluster.client.create<{ metadata?: object; status?: object }>(R.persistentvolumeclaims, {
      metadata: { name: 'data', namespace: 'default' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, volumeName: `pv-${h.id}`, storageClassName: '' },
    });
    await h.cluster.client.updateStatus(R.persistentvolumeclaims, { ...pvc, status: { phase: 'Bound' } } as never);
    await h.createPod({
      metadata: { name: 'vols', labels: { tier: 'db' } },
      spec: {
        terminationGracePeriodSeconds: 1,
        containers: [{
          name: 'main', image: 'minato.local/busybox:1', command: ['sh', '-c', 'echo persisted > /data/file; sleep 3600'],
          volumeMounts: [
            { name: 'creds', mountPath: '/etc/creds' }, { name: 'mem', mountPath: '/mem' },
            { name: 'info', mountPath: '/etc/info' }, { name: 'data', mountPath: '/data' },
          ],
        }],
        volumes: [
          { name: 'creds', secret: { secretName: 'creds', defaultMode: 0o400 } },
          { name: 'mem', emptyDir: { medium: 'Memory', sizeLimit: '16Mi' } },
          { name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } },
          { name: 'data', persistentVolumeClaim: { claimName: 'data' } },
        ],
      },
    });
    const pod = await eventually('vols pod Running', async () => {
      const p = await h.getPod('vols');
      return p.status?.phase === 'Running' ? p : undefined;
    });
    assert.equal(await execOut(pod, ['cat', '/etc/creds/password']), 's3cret');
    assert.equal(await execOut(pod, ['cat', '/etc/info/labels']), 'tier="db"');
    assert.match(await execOut(pod, ['cat', '/proc/mounts']), /tmpfs \/mem tmpfs/);
    assert.equal(await execOut(pod, ['cat', '/var/run/secrets/kubernetes.io/serviceaccount/namespace']), 'default');
    assert.match(await execOut(pod, ['cat', '/var/run/secrets/kubernetes.io/serviceaccount/token']), /^ey/);
    await eventually('file on the PV', async () => (existsSync(`${h.dir}/pv1/file`) ? true : undefined));
    await h.cluster.client.delete(R.pods, 'default', 'vols');
    await eventually('vols gone', async () => h.getPod('vols').then(() => undefined, () => true));
    assert.equal(existsSync(`${h.dir}/pv1/file`), true, 'the PV keeps its data after the pod');
  });

  it('reports ErrImagePull, then ImagePullBackOff, for an image no registry has', async () => {
    // Watch rather than poll: ErrImagePull may show for only one sync period before ImagePullBackOff.
    const seen = new Set<string>();
    const stopWatch = new AbortController();
    const watching = h.cluster.client.watch<Pod>(R.pods, { namespace: 'default', fieldSelector: 'metadata.name=nopull' }, (e) => {
      const reason = containerStatus(e.object)?.state?.waiting?.reason;
      if (reason) seen.add(reason);
    }, stopWatch.signal);
    await h.createPod({ metadata: { name: 'nopull' }, spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'main', image: '127.0.0.1:1/none:1' }] } });
    await eventually('ImagePullBackOff', async () => (seen.has('ImagePullBackOff') ? true : undefined), 20_000, 50);
    stopWatch.abort();
    await watching;
    assert.ok(seen.has('ErrImagePull'), `saw ${[...seen].join(', ')}`);
    assert.equal((await h.getPod('nopull')).status?.phase, 'Pending');
  });

  it('restarts a crashing container with CrashLoopBackOff and a growing restartCount', async () => {
    await h.createPod(busyboxPod('crash', ['sh', '-c', 'echo boom; exit 1']));
    const pod = await eventually('restartCount >= 2 and CrashLoopBackOff', async () => {
      const p = await h.getPod('crash');
      const cs = containerStatus(p);
      return (cs?.restartCount ?? 0) >= 2 && cs?.state?.waiting?.reason === 'CrashLoopBackOff' ? p : undefined;
    }, 30_000);
    const cs = containerStatus(pod);
    assert.match(cs?.state?.waiting?.message ?? '', /back-off \d+s restarting failed container=main/);
    assert.equal(cs?.lastState?.terminated?.exitCode, 1);
    assert.equal(pod.status?.phase, 'Running');
  });

  it('serves container logs through the API server (pods/log, tailLines, timestamps, previous)', async () => {
    const web = await h.getText('/api/v1/namespaces/default/pods/web/log');
    assert.deepEqual(web, { status: 200, body: 'hi\n' });
    const stamped = await h.getText('/api/v1/namespaces/default/pods/web/log?timestamps=true&tailLines=1');
    assert.match(stamped.body, /^\d{4}-\d\d-\d\dT\S+ hi\n$/);
    const previous = await h.getText('/api/v1/namespaces/default/pods/crash/log?previous=true');
    assert.deepEqual(previous, { status: 200, body: 'boom\n' });
  });

  it('restarts a container whose liveness probe fails', async () => {
    await h.createPod({
      metadata: { name: 'live' },
      spec: {
        terminationGracePeriodSeconds: 1,
        containers: [{
          name: 'main', image: 'minato.local/busybox:1', command: ['sh', '-c', 'touch /tmp/alive; sleep 3600'],
          livenessProbe: { exec: { command: ['sh', '-c', 'test -f /tmp/alive && rm /tmp/alive'] }, periodSeconds: 1, failureThreshold: 1, initialDelaySeconds: 1 },
          readinessProbe: { tcpSocket: { port: 9 }, periodSeconds: 1 },
        }],
      },
    });
    const pod = await eventually('liveness restart', async () => {
      const p = await h.getPod('live');
      return (containerStatus(p)?.restartCount ?? 0) >= 1 ? p : undefined;
    }, 30_000);
    assert.equal(containerStatus(pod)?.ready, false, 'the readiness probe (nothing listens on :9) keeps it unready');
    assert.equal(pod.status?.conditions?.find((c) => c.type === 'Ready')?.status, 'False');
  });

  it('deletes gracefully: containers, netns and the pod object go away', async () => {
    const before = await h.getPod('web');
    const id = (containerStatus(before)?.containerID ?? '').replace('runc://', '');
    await h.cluster.client.delete(R.pods, 'default', 'web');
    await eventually('pod object gone', async () => h.getPod('web').then(() => undefined, () => true));
    await assert.rejects(h.runtime.containerStatus(id), /not found/);
    assert.equal(existsSync(`/run/netns/${h.network.netnsName(before.metadata?.uid ?? '')}`), false);
  });

  it('pod creation → Running latency (p50 over 10 pods)', async () => {
    const created = new Map<string, number>();
    for (let i = 0; i < 10; i++) {
      created.set(`lat-${i}`, Date.now());
      await h.createPod(busyboxPod(`lat-${i}`, ['sleep', '3600']));
    }
    const took: number[] = [];
    await eventually('10 pods Running', async () => {
      for (const [name, t0] of created) {
        const p = await h.getPod(name);
        if (p.status?.phase === 'Running') {
          took.push(Date.now() - t0);
          created.delete(name);
        }
      }
      return created.size === 0 ? true : undefined;
    }, 40_000, 20);
    console.log(`pod create → Running: p50 ${median(took)} ms, max ${Math.max(...took)} ms (10 pods, created back to back)`);
    for (let i = 0; i < 10; i++) await h.cluster.client.delete(R.pods, 'default', `lat-${i}`);
  });
});

/**
 * The HorizontalPodAutoscaler on real load (root): busybox pods on `minato server`'s runc node burn
 * CPU when /tmp/burn exists; metrics.k8s.io serves the agent's cgroup CPU figures, the HPA scales
 * the Deployment up under load and back down once the load stops. Only the CLI and kubectl.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startAgentCluster, type AgentCluster } from '../support/agent-cluster.ts';
import { ok, type Kubectl } from '../support/kubectl.ts';
import { nodeLeftovers } from '../support/node-host.ts';
import { manifestFile } from './e2e-helpers.ts';
import { waitFor } from '../support/eventually.ts';

const eventually = <T>(what: string, fn: () => Promise<T | undefined>, timeoutMs: number): Promise<T> => waitFor(what, fn, timeoutMs, 500);

const MANIFEST = (ns: string) => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: burner, namespace: ${ns} }
spec:
  replicas: 1
  selector: { matchLabels: { app: burner } }
  template:
    metadata: { labels: { app: burner } }
    spec:
      terminationGracePeriodSeconds: 1
      containers:
        - name: main
          image: minato.local/busybox:1
          # Spins while /tmp/burn exists, idles otherwise.
          command: ["sh", "-c", "while true; do if [ -f /tmp/burn ]; then :; else sleep 1; fi; done"]
          resources:
            requests: { cpu: 100m }
            # A limit keeps the machine usable: 200m of a 100m request is still 200 % utilization.
            limits: { cpu: 200m }
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: burner, namespace: ${ns} }
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: burner }
  minReplicas: 1
  maxReplicas: 3
  metrics:
    - type: Resource
      resource: { name: cpu, target: { type: Utilization, averageUtilization: 50 } }
  behavior:
    scaleDown:
      stabilizationWindowSeconds: 5
      policies: [{ type: Percent, value: 100, periodSeconds: 5 }]
`;

describe('HPA on real CPU load from runc pods', { timeout: 240_000 }, () => {
  const id = randomBytes(3).toString('hex');
  const ns = `hpa-${id}`;
  const nodeName = `e2e-hpa-${id}`;
  let cluster: AgentCluster | undefined;
  let k: Kubectl;
  let burning = '';
  const figures: Record<string, string> = {};
  const replicas = async () => Number(await ok(k, ['-n', ns, 'get', 'deployment', 'burner', '-o', 'jsonpath={.status.readyReplicas}'])) || 0;
  const spec = async () => Number(await ok(k, ['-n', ns, 'get', 'deployment', 'burner', '-o', 'jsonpath={.spec.replicas}']));

  before(async () => {
    cluster = await startAgentCluster({ nodeName, namespace: ns });
    k = cluster.k;
  });

  after(async () => {
    process.stderr.write(`hpa-real-load figures: ${JSON.stringify(figures)}\n`);
    await cluster?.close();
  });

  it('starts one idle pod and the HPA reads its (near-zero) utilization', async () => {
    await ok(k, ['apply', '-f', manifestFile(MANIFEST(ns))]);
    await ok(k, ['-n', ns, 'rollout', 'status', 'deployment/burner', '--timeout=60s']);
    [burning = ''] = (await ok(k, ['-n', ns, 'get', 'pods', '-l', 'app=burner', '-o', 'jsonpath={.items[*].metadata.name}'])).split(' ');
    assert.ok(burning);
    const current = await eventually('HPA current utilization', async () => {
      const v = await ok(k, ['-n', ns, 'get', 'hpa', 'burner', '-o', 'jsonpath={.status.currentMetrics[0].resource.current.averageUtilization}']);
      return v === '' ? undefined : Number(v);
    }, 60_000);
    assert.ok(current < 50, `idle utilization ${current}%`);
    assert.equal(await spec(), 1);
  });

  it('scales up under load, with kubectl top showing the burning pod\'s CPU', async () => {
    const t0 = Date.now();
    await ok(k, ['-n', ns, 'exec', burning, '--', 'touch', '/tmp/burn']);
    const milli = await eventually('kubectl top shows load', async () => {
      const out = await ok(k, ['-n', ns, 'top', 'pod', burning, '--no-headers']);
      const m = /\s(\d+)m\s/.exec(out);
      return m && Number(m[1]) >= 100 ? Number(m[1]) : undefined;
    }, 60_000);
    figures.topMilliCpu = String(milli);
    await eventually('3 ready replicas', async () => ((await replicas()) === 3 ? true : undefined), 75_000);
    figures.scaleUpMs = String(Date.now() - t0);
    const events = await ok(k, ['-n', ns, 'get', 'events', '--field-selector', 'involvedObject.kind=HorizontalPodAutoscaler', '-o', 'jsonpath={.items[*].reason}']);
    assert.match(events, /SuccessfulRescale/);
  });

  it('scales back down to 1 once the load stops', async () => {
    const t0 = Date.now();
    await ok(k, ['-n', ns, 'exec', burning, '--', 'rm', '/tmp/burn']);
    await eventually('back to 1 replica', async () => ((await spec()) === 1 ? true : undefined), 90_000);
    figures.scaleDownMs = String(Date.now() - t0);
    // The HPA's own status (REPLICAS column) catches up with the Deployment on its next sync.
    await eventually('HPA status shows 1 replica', async () => {
      const hpa = await ok(k, ['-n', ns, 'get', 'hpa', 'burner']);
      assert.match(hpa, /burner\s+Deployment\/burner\s+cpu: \d+%\/50%\s+1\s+3\s+1\s/, hpa);
      return true;
    }, 60_000);
  });

  it('deletes the namespace, stops cleanly and leaves the host clean', async () => {
    await ok(k, ['delete', 'namespace', ns, '--timeout=60s']);
    assert.ok(cluster);
    assert.equal(await cluster.server.stop(), 0, cluster.server.logs().slice(-4000));
    assert.deepEqual(await nodeLeftovers(cluster.dir, nodeName), { netns: [], bridge: [], nftTables: [], cgroups: [], mounts: [], runc: [], processes: [], podRecords: [] });
  });
});

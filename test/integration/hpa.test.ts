import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Deployment } from 'kubernetes-types/apps/v1.js';
import type { HorizontalPodAutoscaler } from 'kubernetes-types/autoscaling/v2.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { R } from '../../src/client/resource-ref.ts';
import { runControllerManager } from '../../src/controllers/controller-manager.ts';
import { createHpaController } from '../../src/controllers/hpa/hpa-controller.ts';
import type { MetricsSource, PodMetric } from '../../src/controllers/hpa/metrics-source.ts';
import { eventually } from '../support/eventually.ts';
import { startTestCluster, type TestCluster } from '../support/test-cluster.ts';

const NS = 'hpa';

/** A metrics source the test sets: every pod uses `cpuMilli` millicores. */
class SetMetrics implements MetricsSource {
  cpuMilli = 0;
  constructor(private readonly cluster: TestCluster) {}
  async podMetrics(namespace: string, selector: string): Promise<PodMetric[]> {
    const pods = await this.cluster.client.list<Pod>(R.pods, { namespace, labelSelector: selector });
    return pods.items.map((p) => ({ name: p.metadata?.name ?? '', timestamp: new Date(), windowMs: 10_000, usage: { cpu: this.cpuMilli } }));
  }
}

/** HorizontalPodAutoscaler scaling a Deployment through /scale with a test-controlled metrics source. */
describe('horizontal pod autoscaler', () => {
  let cluster: TestCluster;
  let metrics: SetMetrics;
  const stop = new AbortController();
  let manager: Promise<void>;

  before(async () => {
    cluster = await startTestCluster();
    metrics = new SetMetrics(cluster);
    await cluster.client.create(R.namespaces, { metadata: { name: NS } });
    const hpa = (ctx: Parameters<typeof createHpaController>[0]) => createHpaController(ctx, { metrics, syncPeriodMs: 100, downscaleStabilizationMs: 1500 });
    manager = runControllerManager({ client: cluster.client, leaderElection: false, controllers: { hpa } }, stop.signal);
  });

  after(async () => {
    stop.abort();
    await manager;
    await cluster.stop();
  });

  it('scales a Deployment up on high CPU, then down after the stabilization window', async () => {
    const { client } = cluster;
    await client.create(R.deployments, {
      metadata: { name: 'web', namespace: NS },
      spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx', resources: { requests: { cpu: '100m' } } }] } } },
    });
    // Two running pods that started long ago (past the CPU initialization period), as a kubelet reports them.
    const started = new Date(Date.now() - 600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    for (const name of ['web-a', 'web-b']) {
      const pod = await client.create<Pod>(R.pods, { metadata: { name, namespace: NS, labels: { app: 'web' } }, spec: { nodeName: 'n1', containers: [{ name: 'app', image: 'nginx', resources: { requests: { cpu: '100m' } } }] } });
      await client.updateStatus(R.pods, { ...pod, status: { phase: 'Running', startTime: started, conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: started }] } });
    }
    metrics.cpuMilli = 200;
    await client.create(R.horizontalpodautoscalers, {
      metadata: { name: 'web', namespace: NS },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 6, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }] },
    });
    // 200% of request against a 50% target asks for 8: the ×2 (min 4) scale-up cap allows 4 first,
    // then maxReplicas holds it at 6.
    const up = await eventually(async () => {
      const h = await client.get<HorizontalPodAutoscaler>(R.horizontalpodautoscalers, NS, 'web');
      assert.equal(h.status?.desiredReplicas, 6);
      return h;
    });
    assert.equal((await client.get<Deployment>(R.deployments, NS, 'web')).spec?.replicas, 6);
    assert.deepEqual(up.status?.currentMetrics, [{ type: 'Resource', resource: { name: 'cpu', current: { averageValue: '200m', averageUtilization: 200 } } }]);
    assert.ok(up.status?.lastScaleTime);
    const cond = (h: HorizontalPodAutoscaler, type: string) => h.status?.conditions?.find((c) => c.type === type);
    assert.equal(cond(up, 'ScalingActive')?.reason, 'ValidMetricFound');
    assert.deepEqual([cond(up, 'ScalingLimited')?.status, cond(up, 'ScalingLimited')?.reason], ['True', 'TooManyReplicas']);
    assert.equal(cond(up, 'ScalingActive')?.message, 'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)');

    // Idle pods ask for 1 replica; the downscale window holds the recent higher recommendation first.
    metrics.cpuMilli = 10;
    const held = await eventually(async () => {
      const h = await client.get<HorizontalPodAutoscaler>(R.horizontalpodautoscalers, NS, 'web');
      assert.equal(cond(h, 'AbleToScale')?.reason, 'ScaleDownStabilized');
      return h;
    });
    assert.equal(held.status?.desiredReplicas, 6);
    const down = await eventually(async () => {
      const h = await client.get<HorizontalPodAutoscaler>(R.horizontalpodautoscalers, NS, 'web');
      assert.equal(h.status?.desiredReplicas, 1);
      return h;
    });
    assert.equal((await client.get<Deployment>(R.deployments, NS, 'web')).spec?.replicas, 1);
    assert.equal(down.status?.currentMetrics?.[0]?.resource?.current.averageUtilization, 10);
    const events = await client.list<{ reason?: string; message?: string }>(R.events, { namespace: NS });
    const rescales = events.items.filter((e) => e.reason === 'SuccessfulRescale').map((e) => e.message);
    assert.ok(rescales.includes('New size: 4; reason: cpu resource utilization (percentage of request) above target'), JSON.stringify(rescales));
    assert.ok(rescales.includes('New size: 6; reason: cpu resource utilization (percentage of request) above target'), JSON.stringify(rescales));
    assert.ok(rescales.includes('New size: 1; reason: All metrics below target'), JSON.stringify(rescales));
  });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Registry } from 'prom-client';
import { R } from '../client/resource-ref.ts';
import { sampleSum } from '../../test/support/prometheus-text.ts';
import { startTestCluster } from '../../test/support/test-cluster.ts';
import { boundNode, pod, startSimNodes, unschedulableMessage } from '../../test/integration/scheduling-helpers.ts';
import { runScheduler } from './scheduler.ts';
import { createSchedulerMetrics } from './scheduler-metrics.ts';

test('scheduler attempts are counted and timed by result', async () => {
  const cluster = await startTestCluster({ bookmarkIntervalMs: 500 });
  const abort = new AbortController();
  try {
    const registry = new Registry();
    await startSimNodes({ client: cluster.client, count: 1, shape: { cpu: '2', pods: '10' } }, abort.signal);
    void runScheduler({ client: cluster.client, leaderElection: false, metrics: createSchedulerMetrics(registry), queue: { initialBackoffMs: 100, maxBackoffMs: 500 } }, abort.signal);
    await cluster.client.create(R.pods, pod('fits').obj());
    await boundNode(cluster.client, 'fits');
    await cluster.client.create(R.pods, pod('nowhere').spec({ nodeSelector: { disk: 'nvme' } }).obj());
    await unschedulableMessage(cluster.client, 'nowhere');
    const text = await registry.metrics();
    const profile = 'default-scheduler';
    assert.equal(sampleSum(text, 'scheduler_schedule_attempts_total', { result: 'scheduled', profile }), 1);
    assert.ok(sampleSum(text, 'scheduler_schedule_attempts_total', { result: 'unschedulable', profile }) >= 1, text);
    assert.equal(sampleSum(text, 'scheduler_schedule_attempts_total', { result: 'error', profile }), 0);
    assert.equal(sampleSum(text, 'scheduler_scheduling_attempt_duration_seconds_count', { result: 'scheduled', profile }), 1);
    assert.equal(sampleSum(text, 'scheduler_scheduling_attempt_duration_seconds_bucket', { result: 'scheduled', profile, le: '+Inf' }), 1);
  } finally {
    abort.abort();
    await cluster.stop();
  }
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Registry } from 'prom-client';
import { WorkQueue } from '../client/work-queue.ts';
import { sampleSum } from '../../test/support/prometheus-text.ts';
import { createWorkQueueMetrics } from './workqueue-metrics.ts';

test('workqueue_depth and workqueue_adds_total follow the queue, adds counted as client-go counts them', async () => {
  const registry = new Registry();
  const metrics = createWorkQueueMetrics(registry);
  const q = new WorkQueue<string>();
  const untrack = metrics.track('deployment', q);
  q.add('a');
  q.add('a'); // already waiting: not an add
  q.add('b');
  let text = await registry.metrics();
  assert.equal(sampleSum(text, 'workqueue_depth', { name: 'deployment' }), 2);
  assert.equal(sampleSum(text, 'workqueue_adds_total', { name: 'deployment' }), 2);
  const key = await q.get();
  q.add(key ?? ''); // being processed: marked dirty, an add
  q.add(key ?? ''); // already dirty: not an add
  q.done(key ?? ''); // re-queued from dirty: not another add
  text = await registry.metrics();
  assert.equal(sampleSum(text, 'workqueue_adds_total', { name: 'deployment' }), 3);
  assert.equal(sampleSum(text, 'workqueue_depth', { name: 'deployment' }), 2);
  // A new queue under the same name (leadership regained) keeps counting up; the old depth is gone.
  untrack();
  const next = new WorkQueue<string>();
  metrics.track('deployment', next);
  next.add('z');
  text = await registry.metrics();
  assert.equal(sampleSum(text, 'workqueue_adds_total', { name: 'deployment' }), 4);
  assert.equal(sampleSum(text, 'workqueue_depth', { name: 'deployment' }), 1);
});

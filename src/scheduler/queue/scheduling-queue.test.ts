import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { FakeClock } from '../../client/clock.ts';
import { SchedulingQueue } from './scheduling-queue.ts';

const pod = (name: string, priority: number, created: string, labels: Record<string, string> = {}): Pod => ({ metadata: { name, namespace: 'ns', creationTimestamp: created, labels }, spec: { priority, containers: [] } });

test('active queue pops by priority, then by age', async () => {
  const q = new SchedulingQueue(new FakeClock());
  q.add(pod('young-low', 0, '2026-01-01T00:00:02Z'));
  q.add(pod('old-low', 0, '2026-01-01T00:00:01Z'));
  q.add(pod('high', 100, '2026-01-01T00:00:03Z'));
  const order = [];
  for (let i = 0; i < 3; i++) order.push((await q.pop())?.pod.metadata?.name);
  assert.deepEqual(order, ['high', 'old-low', 'young-low']);
});

test('unschedulable pods wait for a cluster event, then their backoff', async () => {
  const clock = new FakeClock();
  const q = new SchedulingQueue(clock, { initialBackoffMs: 1000 });
  q.add(pod('p', 0, '2026-01-01T00:00:00Z'));
  const popped = await q.pop();
  assert.ok(popped);
  q.requeueUnschedulable(popped);
  assert.deepEqual(q.stats(), { active: 0, backoff: 0, unschedulable: 1, inFlight: 0 });
  q.add(pod('p', 0, '2026-01-01T00:00:00Z'));
  assert.equal(q.stats().unschedulable, 1, 'a status-only update does not unpark');
  q.moveAllToActiveOrBackoff();
  assert.deepEqual(q.stats(), { active: 0, backoff: 1, unschedulable: 0, inFlight: 0 });
  await clock.advance(1000);
  q.flush();
  assert.equal((await q.pop())?.key, 'ns/p');
});

test('a cluster event during a cycle sends a failed pod to backoff, not to the unschedulable set', async () => {
  const q = new SchedulingQueue(new FakeClock());
  q.add(pod('p', 0, '2026-01-01T00:00:00Z'));
  const popped = await q.pop();
  assert.ok(popped);
  q.moveAllToActiveOrBackoff();
  q.requeueUnschedulable(popped);
  assert.deepEqual(q.stats(), { active: 0, backoff: 1, unschedulable: 0, inFlight: 0 });
});

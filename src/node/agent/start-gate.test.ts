import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StartGate } from './start-gate.ts';

test('at most `limit` starts run at once, handed out in arrival order, also when one fails', async () => {
  const gate = new StartGate(2);
  let running = 0;
  let peak = 0;
  const order: number[] = [];
  const release = new Map<number, () => void>();
  const jobs = [0, 1, 2, 3, 4].map((i) =>
    gate.run(async () => {
      running++;
      peak = Math.max(peak, running);
      order.push(i);
      await new Promise<void>((r) => release.set(i, r));
      running--;
      if (i === 1) throw new Error('start failed');
      return i;
    }),
  );
  const settled = Promise.allSettled(jobs);
  const tick = () => new Promise((r) => setImmediate(r));
  await tick();
  assert.deepEqual(order, [0, 1]);
  assert.equal(gate.queued, 3);
  release.get(1)?.();
  await tick();
  await tick();
  assert.deepEqual(order, [0, 1, 2]);
  for (const i of [0, 2, 3, 4]) {
    for (let k = 0; k < 5 && !release.has(i); k++) await tick();
    release.get(i)?.();
  }
  const results = await settled;
  assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
  assert.deepEqual(order, [0, 1, 2, 3, 4]);
  assert.equal(peak, 2);
  assert.throws(() => new StartGate(0), /at least 1/);
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from './clock.ts';
import { WorkQueue } from './work-queue.ts';

describe('WorkQueue', () => {
  it('queues a key added several times once, in first-added order', async () => {
    const q = new WorkQueue<string>(new FakeClock());
    for (const k of ['a', 'b', 'a', 'c', 'b']) q.add(k);
    assert.equal(q.length, 3);
    assert.deepEqual([await q.get(), await q.get(), await q.get()], ['a', 'b', 'c']);
  });

  it('re-queues a key added while it is processed only after done, and never hands it out twice at once', async () => {
    const q = new WorkQueue<string>(new FakeClock());
    q.add('a');
    assert.equal(await q.get(), 'a');
    q.add('a');
    q.add('a');
    assert.equal(q.length, 0, 'dirty, not queued, while processing');
    q.done('a');
    assert.equal(q.length, 1);
    assert.equal(await q.get(), 'a');
    q.done('a');
    assert.equal(q.length, 0);
  });

  it('hands a key straight to a waiting worker', async () => {
    const q = new WorkQueue<string>(new FakeClock());
    const next = q.get();
    q.add('x');
    assert.equal(await next, 'x');
  });

  it('backs off retries exponentially per key, and forget resets the backoff', async () => {
    const clock = new FakeClock();
    const q = new WorkQueue<string>(clock, { baseMs: 10, maxMs: 40 });
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      const start = clock.now().getTime();
      q.addRateLimited('k');
      await clock.advance(1);
      while (q.length === 0) await clock.advance(1);
      delays.push(clock.now().getTime() - start);
      assert.equal(await q.get(), 'k');
      q.done('k');
    }
    assert.deepEqual(delays, [10, 20, 40, 40], 'doubling, capped at maxMs');
    assert.equal(q.retries('k'), 4);
    q.forget('k');
    assert.equal(q.retries('k'), 0);
    q.addRateLimited('k');
    await clock.advance(9);
    assert.equal(q.length, 0);
    await clock.advance(1);
    assert.equal(q.length, 1);
  });

  it('addAfter waits for the clock; shutdown releases waiting workers', async () => {
    const clock = new FakeClock();
    const q = new WorkQueue<string>(clock);
    q.addAfter('later', 1000);
    await clock.advance(999);
    assert.equal(q.length, 0);
    await clock.advance(1);
    assert.equal(await q.get(), 'later');
    const waiting = q.get();
    q.shutdown();
    assert.equal(await waiting, undefined);
    q.add('ignored');
    assert.equal(q.length, 0);
  });
});

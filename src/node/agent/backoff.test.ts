import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CrashBackoff } from './backoff.ts';

describe('CrashBackoff', () => {
  it('restarts at once the first time, then waits 10 s, 20 s, … up to 5 min after each exit', () => {
    const b = new CrashBackoff();
    let t = 0;
    assert.deepEqual(b.decide('u/c', t, t - 1000, t), { restart: true });
    const waits: number[] = [];
    for (let i = 0; i < 7; i++) {
      t += 1000; // the container ran for a second and died
      const finished = t;
      const d = b.decide('u/c', t, t - 1000, finished);
      assert.equal(d.restart, false);
      if (!d.restart) {
        waits.push(d.backoffMs);
        assert.equal(b.decide('u/c', finished + d.waitMs - 1, t - 1000, finished).restart, false, 'not a moment early');
        t = finished + d.waitMs;
        assert.deepEqual(b.decide('u/c', t, t - 1000, finished), { restart: true });
      }
    }
    assert.deepEqual(waits, [10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000]);
  });

  it('forgets the back-off after a 10 minute run, and per pod', () => {
    const b = new CrashBackoff();
    b.decide('u/c', 0, 0, 0);
    assert.equal(b.decide('u/c', 1000, 0, 1000).restart, false);
    assert.deepEqual(b.decide('u/c', 700_000, 50_000, 700_000), { restart: true }, 'ran 650 s');
    b.forgetPod('u');
    assert.deepEqual(b.decide('u/c', 700_001, 700_000, 700_001), { restart: true });
  });
});

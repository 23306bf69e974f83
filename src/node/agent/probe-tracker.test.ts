import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProbeTracker } from './probe-tracker.ts';

describe('ProbeTracker', () => {
  it('waits initialDelaySeconds, then runs every periodSeconds', () => {
    const t = new ProbeTracker('readiness', { initialDelaySeconds: 5, periodSeconds: 2 }, 1000);
    assert.equal(t.due(5999), false);
    assert.equal(t.due(6000), true);
    t.record('success', 6000);
    assert.equal(t.nextAt(), 8000);
  });

  it('readiness starts failing and needs successThreshold successes', () => {
    const t = new ProbeTracker('readiness', { successThreshold: 2, failureThreshold: 1 }, 0);
    assert.equal(t.result, 'failure');
    assert.equal(t.record('success', 1), false);
    assert.equal(t.record('success', 2), true);
    assert.equal(t.result, 'success');
    assert.equal(t.record('failure', 3), true);
    assert.equal(t.result, 'failure');
  });

  it('liveness starts passing and kills only after failureThreshold consecutive failures', () => {
    const t = new ProbeTracker('liveness', { failureThreshold: 3 }, 0);
    t.record('failure', 1);
    t.record('failure', 2);
    t.record('success', 3);
    t.record('failure', 4);
    t.record('failure', 5);
    assert.equal(t.killsContainer, false);
    t.record('failure', 6);
    assert.equal(t.killsContainer, true);
    assert.equal(new ProbeTracker('readiness', { failureThreshold: 1 }, 0).killsContainer, false);
  });
});

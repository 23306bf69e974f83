import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveFenceposts, scaledValue } from './int-or-percent.ts';
import { computeHash } from './template-hash.ts';

describe('int-or-percent', () => {
  it('rounds surge up and unavailable down, as upstream', () => {
    assert.deepEqual(resolveFenceposts('25%', '25%', 10), { surge: 3, unavailable: 2 });
    assert.deepEqual(resolveFenceposts('25%', '25%', 1), { surge: 1, unavailable: 0 });
    assert.deepEqual(resolveFenceposts(2, '50%', 5), { surge: 2, unavailable: 2 });
    assert.equal(scaledValue('33%', 3, true), 1);
    assert.equal(scaledValue('33%', 3, false), 0);
  });
  it('turns a 0/0 rollout into maxUnavailable 1 so it can progress', () => {
    assert.deepEqual(resolveFenceposts(0, '10%', 3), { surge: 0, unavailable: 1 });
  });
});

describe('computeHash', () => {
  it('is stable across key order, changes with content and collision count, and uses the safe alphabet', () => {
    const a = computeHash({ spec: { containers: [{ name: 'c', image: 'x' }] }, metadata: { labels: { app: 'a' } } });
    const b = computeHash({ metadata: { labels: { app: 'a' } }, spec: { containers: [{ image: 'x', name: 'c' }] } });
    assert.equal(a, b);
    assert.notEqual(a, computeHash({ spec: { containers: [{ name: 'c', image: 'y' }] } }));
    assert.notEqual(a, computeHash({ spec: { containers: [{ name: 'c', image: 'x' }] }, metadata: { labels: { app: 'a' } } }, 1));
    assert.match(a, /^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { canonicalJson, computeHash } from './template-hash.ts';

describe('canonicalJson', () => {
  test('a null field equals an absent one, as in upstream Go structs (kubectl rollout undo sends creationTimestamp: null)', () => {
    const stored = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x' }] } };
    const fromUndo = { metadata: { creationTimestamp: null, labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x' }] } };
    assert.equal(canonicalJson(fromUndo), canonicalJson(stored));
    assert.equal(computeHash(fromUndo), computeHash(stored));
  });
});

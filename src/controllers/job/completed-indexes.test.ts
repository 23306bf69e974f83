import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatIndexes, parseIndexes } from './completed-indexes.ts';

describe('completed indexes', () => {
  it('formats sorted intervals', () => {
    assert.equal(formatIndexes([5, 1, 3, 4, 7, 3]), '1,3-5,7');
    assert.equal(formatIndexes([]), '');
  });
  it('parses what it formats', () => {
    assert.deepEqual([...parseIndexes('1,3-5,7')], [1, 3, 4, 5, 7]);
    assert.deepEqual([...parseIndexes(undefined)], []);
  });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { humanDuration, shortHumanDuration, translateTimestampSince } from './human-duration.ts';
import { NOW, ago, dur } from './test-builders.ts';

test('humanDuration matches apimachinery at every precision step', () => {
  const cases: Array<[number, string]> = [
    [-3000, '<invalid>'],
    [-1500, '0s'],
    [0, '0s'],
    [dur({ s: 5 }), '5s'],
    [dur({ s: 119 }), '119s'],
    [dur({ m: 2 }), '2m'],
    [dur({ m: 2, s: 3 }), '2m3s'],
    [dur({ m: 9, s: 59 }), '9m59s'],
    [dur({ m: 10, s: 30 }), '10m'],
    [dur({ h: 2, m: 59 }), '179m'],
    [dur({ h: 3 }), '3h'],
    [dur({ h: 3, m: 5 }), '3h5m'],
    [dur({ h: 8, m: 30 }), '8h'],
    [dur({ h: 47 }), '47h'],
    [dur({ d: 2 }), '2d'],
    [dur({ d: 2, h: 3 }), '2d3h'],
    [dur({ d: 7, h: 23 }), '7d23h'],
    [dur({ d: 8, h: 5 }), '8d'],
    [dur({ d: 45 }), '45d'],
    [dur({ d: 729 }), '729d'],
    [dur({ d: 730 }), '2y'],
    [dur({ d: 365 * 3 + 45 }), '3y45d'],
    [dur({ d: 365 * 9 + 3 }), '9y'],
  ];
  for (const [ms, expected] of cases) assert.equal(humanDuration(ms), expected, `humanDuration(${ms})`);
});

test('shortHumanDuration keeps a single unit', () => {
  const cases: Array<[number, string]> = [
    [-5000, '<invalid>'],
    [dur({ s: 59 }), '59s'],
    [dur({ m: 5, s: 30 }), '5m'],
    [dur({ h: 23, m: 59 }), '23h'],
    [dur({ d: 12, h: 5 }), '12d'],
    [dur({ d: 800 }), '2y'],
  ];
  for (const [ms, expected] of cases) assert.equal(shortHumanDuration(ms), expected);
});

test('translateTimestampSince renders ages and <unknown> for missing timestamps', () => {
  assert.equal(translateTimestampSince(ago(dur({ m: 5 })), NOW), '5m');
  assert.equal(translateTimestampSince(undefined, NOW), '<unknown>');
  assert.equal(translateTimestampSince('', NOW), '<unknown>');
  assert.equal(translateTimestampSince('not a time', NOW), '<unknown>');
});

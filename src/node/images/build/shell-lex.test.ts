import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expandWord, expandWords, splitRawWords } from './shell-lex.ts';

const vars: Record<string, string> = { A: 'a', EMPTY: '', SPACED: 'x y', PATH: '/bin' };
const lookup = (n: string): string | undefined => vars[n];

describe('expandWord (Docker variable substitution)', () => {
  const cases: Array<[string, string]> = [
    ['$A', 'a'],
    ['${A}', 'a'],
    ['pre-${A}-post', 'pre-a-post'],
    ['$A$A', 'aa'],
    ['$UNSET', ''],
    ['${UNSET:-def}', 'def'],
    ['${EMPTY:-def}', 'def'],
    ['${EMPTY-def}', ''],
    ['${UNSET-def}', 'def'],
    ['${A:-def}', 'a'],
    ['${A:+alt}', 'alt'],
    ['${EMPTY:+alt}', ''],
    ['${EMPTY+alt}', 'alt'],
    ['${UNSET:+alt}', ''],
    ['${UNSET:-${A}x}', 'ax'],
    ['\\$A', '$A'],
    ['\\${A}', '${A}'],
    ["'$A'", '$A'],
    ['"$A"', 'a'],
    ['"\\$A"', '$A'],
    ['"a \\"q\\""', 'a "q"'],
    ['$', '$'],
    ['a$-b', 'a$-b'],
    ['$PATH:/usr/bin', '/bin:/usr/bin'],
    ['${A}_1', 'a_1'],
    ['$A_1', ''],
  ];
  for (const [input, want] of cases) {
    it(`${input} → ${JSON.stringify(want)}`, () => assert.equal(expandWord(input, lookup), want));
  }

  it('uses the escape directive character', () => {
    assert.equal(expandWord('`$A', lookup, '`'), '$A');
    assert.equal(expandWord('C:\\dir', lookup, '`'), 'C:\\dir');
  });

  it('fails clearly on bad substitutions', () => {
    assert.throws(() => expandWord('${UNSET:?must be set}', lookup), /UNSET: must be set/);
    assert.throws(() => expandWord('${EMPTY:?}', lookup), /EMPTY: is not allowed to be unset/);
    assert.equal(expandWord('${EMPTY?x}', lookup), '');
    assert.throws(() => expandWord('${A', lookup), /missing '}'/);
    assert.throws(() => expandWord('${}', lookup), /bad substitution/);
    assert.throws(() => expandWord('${A/x/y}', lookup), /unsupported modifier/);
    assert.throws(() => expandWord("'open", lookup), /single-quote/);
    assert.throws(() => expandWord('"open', lookup), /double-quote/);
  });
});

describe('expandWords', () => {
  it('splits unquoted expansions on whitespace and drops empty ones', () => {
    assert.deepEqual(expandWords('$SPACED', lookup), ['x', 'y']);
    assert.deepEqual(expandWords('"$SPACED"', lookup), ['x y']);
    assert.deepEqual(expandWords('$EMPTY', lookup), []);
    assert.deepEqual(expandWords('""', lookup), ['']);
    assert.deepEqual(expandWords('p$SPACED', lookup), ['px', 'y']);
  });
});

describe('splitRawWords', () => {
  it('splits on unquoted whitespace, keeping quotes and escapes for expansion', () => {
    assert.deepEqual(splitRawWords(`a "b c" 'd e' f\\ g ""`), ['a', '"b c"', "'d e'", 'f\\ g', '""']);
    assert.deepEqual(splitRawWords('k="v 1" k2=$X'), ['k="v 1"', 'k2=$X']);
    assert.throws(() => splitRawWords('"open'), /unterminated/);
  });
});

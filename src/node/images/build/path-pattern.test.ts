import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IgnoreRules, cleanRelative, patternToRegExp } from './path-pattern.ts';

describe('patternToRegExp (filepath.Match + **)', () => {
  const cases: Array<[string, string, boolean]> = [
    ['*.txt', 'a.txt', true],
    ['*.txt', 'dir/a.txt', false],
    ['*/temp*', 'somedir/temporary.txt', true],
    ['*/*/temp*', 'somedir/subdir/temporary.txt', true],
    ['temp?', 'tempa', true],
    ['temp?', 'temp/', false],
    ['**/*.go', 'main.go', true],
    ['**/*.go', 'a/b/c.go', true],
    ['a/**', 'a/b/c', true],
    ['a/**/z', 'a/z', true],
    ['a/**/z', 'a/b/c/z', true],
    ['[a-c]x', 'bx', true],
    ['[^a-c]x', 'bx', false],
    ['[^a-c]x', 'dx', true],
    ['\\*x', '*x', true],
    ['\\*x', 'ax', false],
    ['a.b', 'axb', false],
  ];
  for (const [pattern, path, want] of cases) {
    it(`${pattern} ${want ? 'matches' : 'does not match'} ${path}`, () => assert.equal(patternToRegExp(pattern).test(path), want));
  }
  it('rejects an unterminated class', () => assert.throws(() => patternToRegExp('[ab'), /unterminated \[/));
});

describe('IgnoreRules (.dockerignore)', () => {
  it('cleans patterns like filepath.Clean and drops the leading slash', () => {
    assert.equal(cleanRelative('/foo/bar/'), 'foo/bar');
    assert.equal(cleanRelative('./a//b/../c'), 'a/c');
  });

  it('excludes matches and everything under a matched directory; the last matching rule wins', () => {
    const rules = IgnoreRules.parse(['# comment', '', '*.md', '!README*.md', 'README-secret.md', '/node_modules', 'logs/**', '**/*.tmp', '.git'].join('\n'));
    const want: Record<string, boolean> = {
      'a.md': true, 'README.md': false, 'README-x.md': false, 'README-secret.md': true, 'docs/a.md': false,
      node_modules: true, 'node_modules/x/y.js': true, 'src/node_modules': false, 'logs/a/b': true, logs: false,
      'x.tmp': true, 'a/b/x.tmp': true, '.git/HEAD': true, 'src/app.ts': false, Dockerfile: false,
    };
    for (const [path, excluded] of Object.entries(want)) assert.equal(rules.excludes(path), excluded, path);
    assert.equal(rules.hasExceptions, true);
  });

  it('re-includes a file inside an excluded directory with an exception', () => {
    const rules = IgnoreRules.parse('secret\n!secret/public.txt\n');
    assert.equal(rules.excludes('secret/key'), true);
    assert.equal(rules.excludes('secret/public.txt'), false);
  });

  it('rejects a bare !', () => assert.throws(() => IgnoreRules.parse('!\n'), /illegal exclusion pattern/));
});

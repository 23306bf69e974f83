import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { IgnoreRules } from './path-pattern.ts';
import { loadIgnoreRules, resolveSources, sourcesDigest, type SourceRoot } from './source-tree.ts';

describe('COPY sources from the build context', () => {
  let ctx = '';
  let root: SourceRoot;
  before(async () => {
    ctx = await mkdtemp(join(tmpdir(), 'source-tree-'));
    await mkdir(join(ctx, 'src/sub'), { recursive: true });
    for (const p of ['a.txt', 'b.txt', 'c.md', 'src/x.txt', 'src/x.log', 'src/sub/y.txt']) await writeFile(join(ctx, p), p);
    await symlink('a.txt', join(ctx, 'src/link'));
    await writeFile(join(ctx, '.dockerignore'), '*.log\n**/*.log\nc.md\n');
    root = { dir: ctx, isRootfs: false, ignore: await loadIgnoreRules(ctx) };
  });
  after(async () => {
    if (ctx) await rm(ctx, { recursive: true, force: true });
  });

  it('expands globs, lists directories without ignored files, and keeps symlinks as links', async () => {
    await assert.rejects(resolveSources(root, ['*.txt', '*.md']), /^Error: \*\.md: no source files were specified/, 'c.md is ignored');
    const [a, b] = await resolveSources(root, ['*.txt']);
    assert.deepEqual([a?.path, b?.path], ['a.txt', 'b.txt']);
    const [dir] = await resolveSources(root, ['src']);
    assert.equal(dir?.isDirectory, true);
    assert.deepEqual(dir?.entries.map((e) => `${e.kind}:${e.rel}`), ['symlink:link', 'directory:sub', 'file:sub/y.txt', 'file:x.txt']);
    const [all] = await resolveSources(root, ['.']);
    assert.ok(all?.entries.some((e) => e.rel === 'Dockerfile' || e.rel === 'a.txt'));
    assert.ok(!all?.entries.some((e) => e.rel.endsWith('.log') || e.rel === 'c.md'));
  });

  it('refuses missing, ignored and outside sources', async () => {
    await assert.rejects(resolveSources(root, ['nope']), /"nope": not found in the build context/);
    await assert.rejects(resolveSources(root, ['c.md']), /"c.md": not found in the build context \(or excluded by .dockerignore\)/);
    await assert.rejects(resolveSources(root, ['../etc/passwd']), /outside the build context/);
    await assert.rejects(resolveSources(root, ['http://example.com/x']), /URLs are not supported/);
  });

  it('digests content and modes, not times: touching keeps the digest, editing changes it', async () => {
    const digest = async (): Promise<string> => sourcesDigest(await resolveSources(root, ['src', 'a.txt']));
    const d1 = await digest();
    await utimes(join(ctx, 'src/x.txt'), new Date(0), new Date(0));
    assert.equal(await digest(), d1);
    await writeFile(join(ctx, 'src/x.txt'), 'changed');
    assert.notEqual(await digest(), d1);
    await writeFile(join(ctx, 'src/x.log'), 'ignored files do not count');
    const d2 = await digest();
    await writeFile(join(ctx, 'src/x.log'), 'still ignored');
    assert.equal(await digest(), d2);
  });

  it('treats a rootfs source (COPY --from) as a root: absolute symlinks stay inside it', async () => {
    const rootfs: SourceRoot = { dir: ctx, isRootfs: true, ignore: IgnoreRules.none() };
    await symlink('/src', join(ctx, 'abs-src'));
    const [viaLink] = await resolveSources(rootfs, ['/abs-src/x.txt']);
    assert.equal(viaLink?.host, join(ctx, 'src/x.txt'));
  });
});

import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { diffSnapshots, layerEntries, snapshotRootfs } from './layer-diff.ts';

describe('layer diff', () => {
  it('writes new and changed paths with their parents, and whiteouts for deletions', async () => {
    const root = await mkdtemp(join(tmpdir(), 'layer-diff-'));
    try {
      await mkdir(join(root, 'etc'));
      await mkdir(join(root, 'gone/deep'), { recursive: true });
      await writeFile(join(root, 'gone/deep/f'), 'x');
      await writeFile(join(root, 'etc/keep'), 'same');
      await writeFile(join(root, 'etc/edit'), 'v1');
      await writeFile(join(root, 'etc/rm'), 'bye');
      const before = await snapshotRootfs(root);
      await writeFile(join(root, 'etc/edit'), 'v2');
      await rm(join(root, 'etc/rm'));
      await rm(join(root, 'gone'), { recursive: true });
      await mkdir(join(root, 'new/sub'), { recursive: true });
      await writeFile(join(root, 'new/sub/file'), 'hello');
      await symlink('/etc/keep', join(root, 'new/link'));
      const diff = diffSnapshots(before, await snapshotRootfs(root));
      assert.deepEqual(diff.deleted, ['etc/rm', 'gone']);
      assert.ok(!diff.changed.includes('etc/keep'));
      const entries = await layerEntries(root, diff);
      assert.deepEqual(entries.map((e) => `${e.type}:${e.path}`), [
        'file:.wh.gone', 'directory:etc', 'file:etc/.wh.rm', 'file:etc/edit', 'directory:new', 'symlink:new/link',
        'directory:new/sub', 'file:new/sub/file',
      ]);
      assert.equal(entries.find((e) => e.path === 'etc/edit')?.data?.toString(), 'v2');
      assert.equal(entries.find((e) => e.path === 'new/link')?.linkname, '/etc/keep');
      assert.deepEqual(diffSnapshots(before, before), { changed: [], deleted: [] });
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

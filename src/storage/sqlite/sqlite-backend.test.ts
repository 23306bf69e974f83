import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runStoreConformance } from '../conformance/store-conformance.ts';
import { SqliteBackend } from './sqlite-backend.ts';

async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'minato-sqlite-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

runStoreConformance('SqliteBackend', async () => {
  const { dir, cleanup } = await tempDir();
  return { store: new SqliteBackend({ path: join(dir, 'state.db') }), cleanup };
});

void test('SqliteBackend: reopening keeps values, revisions and the compacted revision', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const path = join(dir, 'state.db');
    const first = new SqliteBackend({ path });
    const created = await first.create('/a', 'v1');
    await first.create('/b', 'b1');
    const { revision: deleted } = await first.delete('/b');
    await first.compact(deleted);
    await first.close();

    const second = new SqliteBackend({ path });
    assert.equal(await second.currentRevision(), deleted, 'the compacted tombstone revision is not reused');
    assert.equal(await second.compactedRevision(), deleted);
    assert.deepEqual(await second.get('/a'), { key: '/a', value: 'v1', createRevision: created, modRevision: created });
    assert.ok((await second.create('/b', 'b2')) > deleted);
    await second.close();
  } finally {
    await cleanup();
  }
});

void test('SqliteBackend: writes in one tick share a commit yet fail independently', async () => {
  const { dir, cleanup } = await tempDir();
  const store = new SqliteBackend({ path: join(dir, 'state.db') });
  try {
    const results = await Promise.allSettled([
      store.create('/x', '1'),
      store.create('/x', '2'),
      store.create('/y', '3'),
    ]);
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
    assert.equal((await store.get('/x'))?.value, '1');
    await assert.rejects(store.update('/y', '4', 999), /revision/);
  } finally {
    await store.close();
    await cleanup();
  }
});

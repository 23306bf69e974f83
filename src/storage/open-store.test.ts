import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { EtcdBackend } from './etcd/etcd-backend.ts';
import { MemoryBackend } from './memory/memory-backend.ts';
import { openStore } from './open-store.ts';
import { SqliteBackend } from './sqlite/sqlite-backend.ts';

void test('openStore picks the backend by URL scheme', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'minato-open-'));
  try {
    const byDefault = await openStore('', { dataDir });
    assert.ok(byDefault instanceof SqliteBackend);
    await byDefault.close();
    assert.ok(existsSync(join(dataDir, 'state.db')), 'the default database lives in dataDir');
    const absolute = await openStore(`sqlite://${join(dataDir, 'abs.db')}`, { dataDir: '/nonexistent' });
    await absolute.close();
    assert.ok(existsSync(join(dataDir, 'abs.db')));
    const memory = await openStore('memory://', { dataDir });
    assert.ok(memory instanceof MemoryBackend);
    const etcd = await openStore('etcd://127.0.0.1:1,127.0.0.1:2/minato', { dataDir });
    assert.ok(etcd instanceof EtcdBackend);
    await etcd.close();
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});

void test('openStore rejects unknown schemes and malformed URLs clearly', async () => {
  await assert.rejects(openStore('postgres://db', { dataDir: '/tmp' }), /unsupported store URL.*sqlite:\/\/, etcd:\/\/, memory:\/\//);
  await assert.rejects(openStore('state.db', { dataDir: '/tmp' }), /unsupported store URL/);
  await assert.rejects(openStore('etcd://', { dataDir: '/tmp' }), /at least one host/);
  await assert.rejects(openStore('etcd://localhost', { dataDir: '/tmp' }), /host:port/);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startEtcd } from './etcd-process.ts';

void test('startEtcd fails loudly, naming the package, when etcd is missing', async () => {
  await assert.rejects(startEtcd('/nonexistent/etcd'), /apt-get install -y etcd-server/);
});

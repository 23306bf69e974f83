import { randomUUID } from 'node:crypto';
import { after, before } from 'node:test';
import { runStoreConformance } from '../conformance/store-conformance.ts';
import { startEtcd, type EtcdProcess } from '../testing/etcd-process.ts';
import { EtcdBackend } from './etcd-backend.ts';

let etcd: EtcdProcess | undefined;
before(async () => {
  etcd = await startEtcd();
});
after(() => etcd?.stop());

runStoreConformance('EtcdBackend', async () => {
  if (!etcd) throw new Error('etcd did not start');
  return {
    store: new EtcdBackend({ hosts: [etcd.url], keyPrefix: `/minato-test-${randomUUID()}` }),
    cleanup: async () => {},
  };
});

// The API server's default is no key prefix at all; every etcd request must still name a key.
runStoreConformance('EtcdBackend without a key prefix', async () => {
  if (!etcd) throw new Error('etcd did not start');
  const own = await startEtcd();
  return { store: new EtcdBackend({ hosts: [own.url] }), cleanup: () => own.stop() };
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ConfigMap } from 'kubernetes-types/core/v1.js';
import { FakeClock } from '../../client/clock.ts';
import { sharedObjectSource, type PodObjectSource } from './object-source.ts';

test('ConfigMap and Secret reads are shared for the TTL, concurrent reads wait for one request, errors are not kept', async () => {
  const calls: string[] = [];
  let fail = false;
  const source: PodObjectSource = {
    configMap: async (ns, name) => {
      calls.push(`cm ${ns}/${name}`);
      if (fail) throw new Error('api down');
      return { metadata: { name, namespace: ns }, data: { n: String(calls.length) } } as ConfigMap;
    },
    secret: async (ns, name) => (calls.push(`secret ${ns}/${name}`), undefined),
    claim: async (ns, name) => (calls.push(`claim ${ns}/${name}`), undefined),
    volume: async (name) => (calls.push(`pv ${name}`), undefined),
  };
  const clock = new FakeClock(new Date('2026-01-01T00:00:00Z'));
  const shared = sharedObjectSource(source, clock, 5000);
  const [a, b] = await Promise.all([shared.configMap('ns', 'x'), shared.configMap('ns', 'x')]);
  assert.equal(a, b);
  await shared.configMap('ns', 'x');
  await shared.secret('ns', 'x');
  await shared.secret('ns', 'x');
  await shared.claim('ns', 'c');
  await shared.claim('ns', 'c');
  assert.deepEqual(calls, ['cm ns/x', 'secret ns/x', 'claim ns/c', 'claim ns/c']);
  await clock.advance(5000);
  assert.equal((await shared.configMap('ns', 'x'))?.data?.n, '5');
  await clock.advance(5000);
  fail = true;
  await assert.rejects(shared.configMap('ns', 'x'), /api down/);
  fail = false;
  assert.ok(await shared.configMap('ns', 'x'));
  assert.equal(calls.filter((c) => c === 'cm ns/x').length, 4);
});

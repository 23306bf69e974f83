import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isStorageError } from '../types.ts';
import { rejectsWith, uniquePrefix, type WithStore } from './harness.ts';

/** Registers create/get/update/delete cases. */
export function crudCases(withStore: WithStore): void {
  void test('create then get returns the value at the create revision', () =>
    withStore(async (store) => {
      const key = `${uniquePrefix()}a`;
      const rev = await store.create(key, '{"n":1}');
      assert.deepEqual(await store.get(key), { key, value: '{"n":1}', createRevision: rev, modRevision: rev });
      assert.equal(await store.get(`${key}-missing`), undefined);
    }));

  void test('create of an existing key fails with KeyExists', () =>
    withStore(async (store) => {
      const key = `${uniquePrefix()}a`;
      await store.create(key, 'one');
      await rejectsWith(store.create(key, 'two'), 'KeyExists');
      assert.equal((await store.get(key))?.value, 'one');
    }));

  void test('update compares the mod revision', () =>
    withStore(async (store) => {
      const key = `${uniquePrefix()}a`;
      const created = await store.create(key, 'v1');
      const updated = await store.update(key, 'v2', created);
      assert.ok(updated > created);
      assert.deepEqual(await store.get(key), { key, value: 'v2', createRevision: created, modRevision: updated });
      const err = await rejectsWith(store.update(key, 'v3', created), 'Conflict');
      assert.ok(isStorageError(err));
      assert.equal(err.current?.modRevision, updated, 'Conflict carries the current value');
      assert.equal((await store.get(key))?.value, 'v2');
    }));

  void test('update of a missing key fails with KeyNotFound', () =>
    withStore(async (store) => {
      await rejectsWith(store.update(`${uniquePrefix()}nope`, 'v', 1), 'KeyNotFound');
    }));

  void test('delete returns the deletion revision and the deleted value', () =>
    withStore(async (store) => {
      const key = `${uniquePrefix()}a`;
      const created = await store.create(key, 'v1');
      const { revision, prev } = await store.delete(key);
      assert.ok(revision > created);
      assert.deepEqual(prev, { key, value: 'v1', createRevision: created, modRevision: created });
      assert.equal(await store.get(key), undefined);
      await rejectsWith(store.delete(key), 'KeyNotFound');
    }));

  void test('delete with a precondition only deletes at that revision', () =>
    withStore(async (store) => {
      const key = `${uniquePrefix()}a`;
      const created = await store.create(key, 'v1');
      const updated = await store.update(key, 'v2', created);
      await rejectsWith(store.delete(key, created), 'Conflict');
      assert.equal((await store.get(key))?.value, 'v2');
      const { prev } = await store.delete(key, updated);
      assert.equal(prev.modRevision, updated);
      await rejectsWith(store.delete(key, updated), 'KeyNotFound');
    }));

  void test('a key re-created after delete starts a new life', () =>
    withStore(async (store) => {
      const key = `${uniquePrefix()}a`;
      const first = await store.create(key, 'v1');
      await store.delete(key);
      const second = await store.create(key, 'v2');
      assert.ok(second > first);
      assert.deepEqual(await store.get(key), { key, value: 'v2', createRevision: second, modRevision: second });
    }));

  void test('currentRevision is monotonic and equals the last write', () =>
    withStore(async (store) => {
      const prefix = uniquePrefix();
      let last = await store.currentRevision();
      for (let i = 0; i < 5; i++) {
        const rev = await store.create(`${prefix}${i}`, 'v');
        assert.ok(rev > last);
        assert.equal(await store.currentRevision(), rev);
        last = rev;
      }
      await rejectsWith(store.create(`${prefix}0`, 'v'), 'KeyExists');
      assert.equal(await store.currentRevision(), last, 'a failed write takes no revision');
      const { revision } = await store.delete(`${prefix}4`);
      await store.compact(revision);
      assert.equal(await store.currentRevision(), revision, 'compaction never moves the revision back');
    }));

  void test('concurrent CAS updates from one base: exactly one wins', () =>
    withStore(async (store) => {
      const key = `${uniquePrefix()}a`;
      const base = await store.create(key, 'base');
      const results = await Promise.allSettled(
        Array.from({ length: 16 }, (_, i) => store.update(key, `writer-${i}`, base)),
      );
      const winners = results.filter((r) => r.status === 'fulfilled');
      assert.equal(winners.length, 1);
      for (const r of results) if (r.status === 'rejected') assert.ok(isStorageError(r.reason, 'Conflict'));
      const creates = await Promise.allSettled(Array.from({ length: 8 }, () => store.create(`${key}-c`, 'x')));
      assert.equal(creates.filter((r) => r.status === 'fulfilled').length, 1);
    }));

  void test('unicode and 1 MiB values round-trip exactly', () =>
    withStore(async (store) => {
      const prefix = uniquePrefix();
      const unicode = '{"name":"日本語 ✓ emoji 🚀 \\u0000 quote\\" nul-free"}';
      const large = JSON.stringify({ data: 'x'.repeat(1024 * 1024 - 20) });
      await store.create(`${prefix}ünï-çødé-🚀`, unicode);
      const rev = await store.create(`${prefix}large`, large);
      assert.equal((await store.get(`${prefix}ünï-çødé-🚀`))?.value, unicode);
      assert.equal((await store.get(`${prefix}large`))?.value, large);
      await store.update(`${prefix}large`, `${large} `, rev);
      const listed = await store.list({ prefix });
      assert.deepEqual(listed.items.map((kv) => kv.value.length), [large.length + 1, unicode.length]);
    }));
}

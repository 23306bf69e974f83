import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rejectsWith, uniquePrefix, type WithStore } from './harness.ts';

/** Registers list, paging and compaction-of-history cases. */
export function listCases(withStore: WithStore): void {
  void test('list returns keys under the prefix, sorted, at the current revision', () =>
    withStore(async (store) => {
      const root = uniquePrefix();
      for (const key of ['b/2', 'bc/1', 'b/1', 'b', 'a/1']) await store.create(`${root}${key}`, key);
      const listed = await store.list({ prefix: `${root}b/` });
      assert.deepEqual(listed.items.map((kv) => kv.value), ['b/1', 'b/2'], 'sibling b and bc/ stay out');
      assert.equal(listed.revision, await store.currentRevision());
      assert.equal(listed.more, false);
      const all = await store.list({ prefix: root });
      assert.deepEqual(all.items.map((kv) => kv.value), ['a/1', 'b', 'b/1', 'b/2', 'bc/1']);
    }));

  void test('list at an older revision sees the state of that revision', () =>
    withStore(async (store) => {
      const root = uniquePrefix();
      const a1 = await store.create(`${root}a`, 'a1');
      const b1 = await store.create(`${root}b`, 'b1');
      await store.update(`${root}a`, 'a2', a1);
      await store.delete(`${root}b`);
      await store.create(`${root}c`, 'c1');
      const old = await store.list({ prefix: root, revision: b1 });
      assert.equal(old.revision, b1);
      assert.deepEqual(old.items, [
        { key: `${root}a`, value: 'a1', createRevision: a1, modRevision: a1 },
        { key: `${root}b`, value: 'b1', createRevision: b1, modRevision: b1 },
      ]);
      const now = await store.list({ prefix: root });
      assert.deepEqual(now.items.map((kv) => kv.value), ['a2', 'c1']);
    }));

  void test('limit and startAfter page through a consistent snapshot', () =>
    withStore(async (store) => {
      const root = uniquePrefix();
      for (let i = 0; i < 5; i++) await store.create(`${root}k${i}`, `v${i}`);
      const first = await store.list({ prefix: root, limit: 2 });
      assert.deepEqual(first.items.map((kv) => kv.value), ['v0', 'v1']);
      assert.equal(first.more, true);
      if (first.remaining !== undefined) assert.equal(first.remaining, 3);
      await store.create(`${root}k2a`, 'late');
      await store.delete(`${root}k3`);
      const pages = [first.items];
      let page = first;
      while (page.more) {
        const startAfter = page.items.at(-1)?.key;
        page = await store.list({ prefix: root, limit: 2, revision: first.revision, startAfter });
        assert.equal(page.revision, first.revision);
        pages.push(page.items);
      }
      assert.deepEqual(pages.map((items) => items.map((kv) => kv.value)), [['v0', 'v1'], ['v2', 'v3'], ['v4']]);
      const fresh = await store.list({ prefix: root, startAfter: `${root}k2` });
      assert.deepEqual(fresh.items.map((kv) => kv.value), ['late', 'v4']);
    }));

  void test('compaction keeps current values and refuses older reads', () =>
    withStore(async (store) => {
      const root = uniquePrefix();
      const a1 = await store.create(`${root}a`, 'a1');
      const a2 = await store.update(`${root}a`, 'a2', a1);
      await store.create(`${root}b`, 'b1');
      const { revision: deleted } = await store.delete(`${root}b`);
      const c1 = await store.create(`${root}c`, 'c1');
      await store.update(`${root}c`, 'c2', c1);
      await store.compact(deleted);
      assert.equal(await store.compactedRevision(), deleted);
      await rejectsWith(store.list({ prefix: root, revision: a2 }), 'Compacted');
      const atCompacted = await store.list({ prefix: root, revision: deleted });
      assert.deepEqual(atCompacted.items.map((kv) => kv.value), ['a2']);
      const atC1 = await store.list({ prefix: root, revision: c1 });
      assert.deepEqual(atC1.items.map((kv) => kv.value), ['a2', 'c1'], 'history after the target stays');
      assert.deepEqual((await store.list({ prefix: root })).items.map((kv) => kv.value), ['a2', 'c2']);
      assert.deepEqual(await store.get(`${root}a`), { key: `${root}a`, value: 'a2', createRevision: a1, modRevision: a2 });
      await store.compact(a1);
      assert.equal(await store.compactedRevision(), deleted, 'compacting to an older revision is a no-op');
      const b2 = await store.create(`${root}b`, 'b2');
      assert.equal((await store.get(`${root}b`))?.createRevision, b2);
    }));

  void test('reading a future revision fails instead of guessing', () =>
    withStore(async (store) => {
      const rev = await store.create(`${uniquePrefix()}a`, 'v');
      await assert.rejects(store.list({ prefix: '/', revision: rev + 1000 }));
    }));
}

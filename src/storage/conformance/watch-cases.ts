import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { WatchEvent } from '../types.ts';
import { recordWatch, rejectsWith, settle, uniquePrefix, type WithStore } from './harness.ts';

function summary(events: WatchEvent[]): string[] {
  return events.map((e) => `${e.type} ${e.kv.key.split('/').pop() ?? ''}=${e.kv.value}`);
}

function assertIncreasing(events: WatchEvent[]): void {
  const revisions = events.map((e) => e.kv.modRevision);
  assert.deepEqual(revisions, [...revisions].sort((a, b) => a - b));
  assert.equal(new Set(revisions).size, revisions.length, 'no event is delivered twice');
}

/** Registers watch cases: replay, live delivery, prefixes, compaction. */
export function watchCases(withStore: WithStore): void {
  void test('watch replays history after a revision, then streams live events in order', () =>
    withStore(async (store) => {
      const root = uniquePrefix();
      const a1 = await store.create(`${root}a`, 'a1');
      const a2 = await store.update(`${root}a`, 'a2', a1);
      await store.create(`${root}b`, 'b1');
      const watch = await recordWatch(store, { prefix: root, afterRevision: a1 });
      const { revision: deleted } = await store.delete(`${root}a`);
      await store.create(`${root}c`, 'c1');
      const events = await watch.waitFor(4);
      assert.deepEqual(summary(events), ['update a=a2', 'create b=b1', 'delete a=a2', 'create c=c1']);
      assertIncreasing(events);
      const [update, , del] = events;
      assert.deepEqual(update?.prevKv, { key: `${root}a`, value: 'a1', createRevision: a1, modRevision: a1 });
      assert.deepEqual(del?.kv, { key: `${root}a`, value: 'a2', createRevision: a1, modRevision: deleted });
      assert.deepEqual(del?.prevKv, { key: `${root}a`, value: 'a2', createRevision: a1, modRevision: a2 });
      assert.equal(events[1]?.prevKv, undefined);
      watch.stop();
    }));

  void test('watch only sees its prefix, and stops after abort', () =>
    withStore(async (store) => {
      const root = uniquePrefix();
      const watch = await recordWatch(store, { prefix: `${root}b/`, afterRevision: await store.currentRevision() });
      await store.create(`${root}bc`, 'sibling');
      await store.create(`${root}b/1`, 'mine');
      await store.create(`${root}a/1`, 'other');
      assert.deepEqual(summary(await watch.waitFor(1)), ['create 1=mine']);
      watch.stop();
      await store.create(`${root}b/2`, 'after-abort');
      await settle();
      assert.equal(watch.events.length, 1);
      assert.deepEqual(watch.errors, []);
    }));

  void test('many writers: a watch sees every event exactly once, in order', () =>
    withStore(async (store) => {
      const root = uniquePrefix();
      const start = await store.currentRevision();
      const early = await recordWatch(store, { prefix: root, afterRevision: start });
      const writes = Array.from({ length: 50 }, (_, i) => store.create(`${root}k${i}`, `${i}`));
      const late = await recordWatch(store, { prefix: root, afterRevision: start });
      const revisions = await Promise.all(writes);
      for (const watch of [early, late]) {
        const events = await watch.waitFor(50);
        await settle(50);
        assert.equal(watch.events.length, 50);
        assertIncreasing(events);
        assert.deepEqual(events.map((e) => e.kv.modRevision), [...revisions].sort((a, b) => a - b));
        watch.stop();
      }
    }));

  void test('watch from a compacted revision fails with Compacted', () =>
    withStore(async (store) => {
      const root = uniquePrefix();
      const first = await store.create(`${root}a`, 'a1');
      const second = await store.update(`${root}a`, 'a2', first);
      const third = await store.create(`${root}b`, 'b1');
      await store.compact(second);
      const err = await rejectsWith(store.watch({
        prefix: root,
        afterRevision: first,
        signal: new AbortController().signal,
        onEvents: () => assert.fail('no events expected'),
      }), 'Compacted');
      assert.match(err.message, /compacted/);
      const watch = await recordWatch(store, { prefix: root, afterRevision: second });
      assert.deepEqual(summary(await watch.waitFor(1)), ['create b=b1']);
      assert.equal(watch.events[0]?.kv.modRevision, third);
      watch.stop();
    }));
}

import assert from 'node:assert/strict';
import { isStorageError, type Store, type StorageErrorCode, type WatchEvent, type WatchOptions } from '../types.ts';

/** Creates a fresh, empty store and the function that disposes of it. */
export type MakeStore = () => Promise<{ store: Store; cleanup: () => Promise<void> }>;

/** Runs `body` against a fresh store, always cleaning up. */
export type WithStore = (body: (store: Store) => Promise<void>) => Promise<void>;

/** Builds the WithStore helper for one backend. */
export function withStoreFrom(makeStore: MakeStore): WithStore {
  return async (body) => {
    const { store, cleanup } = await makeStore();
    try {
      await body(store);
    } finally {
      await store.close();
      await cleanup();
    }
  };
}

/** Asserts that `promise` rejects with a StorageError of `code`, and returns that error. */
export async function rejectsWith(promise: Promise<unknown>, code: StorageErrorCode): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    assert.ok(isStorageError(err, code), `expected StorageError ${code}, got ${String(err)}`);
    return err;
  }
  assert.fail(`expected StorageError ${code}, but the call succeeded`);
}

/** A started watch that records its events and lets the test wait for them. */
export interface RecordedWatch {
  events: WatchEvent[];
  errors: Error[];
  /** Resolves once at least `count` events arrived; fails after a timeout. */
  waitFor(count: number): Promise<WatchEvent[]>;
  stop(): void;
}

/** Starts a watch that records everything it receives. */
export async function recordWatch(
  store: Store,
  opts: Omit<WatchOptions, 'signal' | 'onEvents' | 'onError'>,
): Promise<RecordedWatch> {
  const controller = new AbortController();
  const events: WatchEvent[] = [];
  const errors: Error[] = [];
  let wake = (): void => {};
  await store.watch({
    ...opts,
    signal: controller.signal,
    onEvents: (batch) => {
      events.push(...batch);
      wake();
    },
    onError: (err) => errors.push(err),
  });
  const waitFor = async (count: number): Promise<WatchEvent[]> => {
    const deadline = Date.now() + 5000;
    while (events.length < count) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) assert.fail(`watch got ${events.length} events, expected ${count}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(remaining, 50));
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    return events;
  };
  return { events, errors, waitFor, stop: () => controller.abort() };
}

/** Lets in-flight deliveries land, to check that nothing more arrives. */
export function settle(ms = 100): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A unique key prefix per test, so tests never see each other's keys. */
export function uniquePrefix(): string {
  return `/registry/t${Math.random().toString(36).slice(2, 10)}/`;
}

import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Retries `check` (which throws until the condition holds) until it passes or `timeoutMs` elapses.
 * Give `assert.ok` a message inside `check`: without one, node's assert re-parses the source file
 * to describe the failure, which takes seconds per retry under tsx.
 */
export async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 10_000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await sleep(intervalMs);
    }
  }
}

/**
 * Polls `fn` until it returns a value (undefined or a throw means "not yet"); the timeout error names
 * what was awaited and the last failure.
 */
export async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 30_000, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await sleep(everyMs);
  }
}

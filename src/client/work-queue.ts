import { realClock, type Clock } from './clock.ts';

/**
 * A de-duplicating work queue with per-key rate-limited retries, like client-go's: a key added
 * while queued is queued once; a key added while being processed is re-queued after `done`.
 */
export class WorkQueue<K = string> {
  private readonly queue: K[] = [];
  private readonly queued = new Set<K>();
  private readonly processing = new Set<K>();
  private readonly dirty = new Set<K>();
  private readonly failures = new Map<K, number>();
  private waiters: Array<(k: K | undefined) => void> = [];
  private readonly timers = new Set<{ cancel(): void }>();
  private closed = false;
  private accepted = 0;

  constructor(
    private readonly clock: Clock = realClock,
    private readonly backoff = { baseMs: 5, maxMs: 300_000 },
  ) {}

  add(key: K): void {
    if (this.closed) return;
    if (this.processing.has(key)) {
      if (!this.dirty.has(key)) this.accepted++;
      this.dirty.add(key);
      return;
    }
    if (this.queued.has(key)) return;
    this.accepted++;
    this.enqueue(key);
  }

  /** Queues a key that is neither queued nor being processed, or hands it to a waiting worker. */
  private enqueue(key: K): void {
    this.queued.add(key);
    const waiter = this.waiters.shift();
    if (waiter) {
      this.queued.delete(key);
      this.processing.add(key);
      waiter(key);
    } else this.queue.push(key);
  }

  addAfter(key: K, ms: number): void {
    if (ms <= 0) return this.add(key);
    if (this.closed) return;
    // Tracked so shutdown cancels them: a pending requeue must not keep a stopped process alive.
    const timer = this.clock.setTimer(ms, () => {
      this.timers.delete(timer);
      this.add(key);
    });
    this.timers.add(timer);
  }

  /** Re-adds after an exponentially growing delay (5 ms, 10 ms, … up to 5 min). */
  addRateLimited(key: K): void {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    this.addAfter(key, Math.min(this.backoff.baseMs * 2 ** n, this.backoff.maxMs));
  }

  /** Clears the retry history of a key that was handled successfully. */
  forget(key: K): void {
    this.failures.delete(key);
  }

  retries(key: K): number {
    return this.failures.get(key) ?? 0;
  }

  /** Next key to process; undefined once the queue is shut down. */
  get(): Promise<K | undefined> {
    const key = this.queue.shift();
    if (key !== undefined) {
      this.queued.delete(key);
      this.processing.add(key);
      return Promise.resolve(key);
    }
    if (this.closed) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  done(key: K): void {
    this.processing.delete(key);
    if (this.dirty.delete(key) && !this.closed) this.enqueue(key);
  }

  get length(): number {
    return this.queue.length;
  }

  /**
   * Adds taken so far (client-go's `workqueue_adds_total`): an add of a key that is already waiting
   * is not counted. A key re-added after `done` of a dirty key is counted when it was marked dirty.
   */
  get adds(): number {
    return this.accepted;
  }

  shutdown(): void {
    this.closed = true;
    for (const t of this.timers) t.cancel();
    this.timers.clear();
    for (const w of this.waiters) w(undefined);
    this.waiters = [];
  }
}

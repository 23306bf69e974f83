import type { WatchEvent, WatchOptions } from './types.ts';

interface Subscription {
  opts: WatchOptions;
  /** Highest revision queued so far; later events at or below it are duplicates of the replay. */
  lastRevision: number;
  buffer: WatchEvent[];
  scheduled: boolean;
  stop: () => void;
}

/** Largest batch handed to one onEvents call, so a long replay does not arrive as one huge array. */
const MAX_BATCH = 1000;

/**
 * In-process watch fan-out for single-process backends (SQLite, memory). The backend publishes the
 * events of each commit; every subscriber gets those under its prefix, batched and delivered in a
 * microtask so a slow or throwing callback never runs inside the writer's commit.
 */
export class WatchHub {
  private readonly subscriptions = new Set<Subscription>();

  /**
   * Registers a watch. `replay` holds the already-committed events after `opts.afterRevision`;
   * it must be read in the same synchronous step as this call so that no commit falls in between.
   */
  subscribe(opts: WatchOptions, replay: WatchEvent[]): void {
    if (opts.signal.aborted) return;
    const onAbort = (): void => sub.stop();
    const sub: Subscription = {
      opts,
      lastRevision: opts.afterRevision,
      buffer: [],
      scheduled: false,
      stop: () => {
        this.subscriptions.delete(sub);
        opts.signal.removeEventListener('abort', onAbort);
      },
    };
    opts.signal.addEventListener('abort', onAbort, { once: true });
    this.subscriptions.add(sub);
    this.enqueue(sub, replay);
  }

  /** Hands the events of one commit (in revision order) to every matching subscriber. */
  publish(events: WatchEvent[]): void {
    for (const sub of this.subscriptions) this.enqueue(sub, events);
  }

  /** Ends every watch with `err` (the store is closing). */
  closeAll(err: Error): void {
    for (const sub of [...this.subscriptions]) {
      sub.stop();
      sub.opts.onError?.(err);
    }
  }

  private enqueue(sub: Subscription, events: WatchEvent[]): void {
    for (const event of events) {
      const revision = event.kv.modRevision;
      if (revision <= sub.lastRevision || !event.kv.key.startsWith(sub.opts.prefix)) continue;
      sub.lastRevision = revision;
      sub.buffer.push(event);
    }
    if (sub.buffer.length === 0 || sub.scheduled) return;
    sub.scheduled = true;
    queueMicrotask(() => this.deliver(sub));
  }

  private deliver(sub: Subscription): void {
    sub.scheduled = false;
    const events = sub.buffer;
    sub.buffer = [];
    for (let i = 0; i < events.length && this.subscriptions.has(sub); i += MAX_BATCH) {
      try {
        sub.opts.onEvents(events.slice(i, i + MAX_BATCH));
      } catch (err) {
        // A consumer that cannot take events has lost its place; it must re-list like after any break.
        sub.stop();
        sub.opts.onError?.(err instanceof Error ? err : new Error(String(err)));
      }
    }
  }
}


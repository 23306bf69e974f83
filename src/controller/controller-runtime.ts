import { realClock } from '../client/clock.ts';
import { WorkQueue } from '../client/work-queue.ts';
import type { ControllerConfig, Request } from './reconciler.ts';
import { TerminalError } from './reconciler.ts';

const key = (r: Request) => (r.namespace ? `${r.namespace}/${r.name}` : r.name);
const parse = (k: string): Request => {
  const slash = k.indexOf('/');
  return slash < 0 ? { name: k } : { namespace: k.slice(0, slash), name: k.slice(slash + 1) };
};

/**
 * Runs a reconciler: the runtime — not the controller — owns the queue, de-duplication, retries
 * with backoff, timeouts, panics and logging. Resolves when `signal` aborts.
 */
export async function runController(cfg: ControllerConfig, signal: AbortSignal): Promise<void> {
  const clock = cfg.clock ?? realClock;
  const queue = new WorkQueue<string>(clock);
  const log = cfg.log ?? (() => undefined);
  for (const w of cfg.watches) {
    const enqueue = (obj: Parameters<typeof w.toRequests>[0]) => {
      for (const r of w.toRequests(obj)) queue.add(key(r));
    };
    w.informer.on({ add: enqueue, update: (_old, obj) => enqueue(obj), delete: enqueue });
  }
  await Promise.all(cfg.watches.map((w) => w.informer.waitForSync()));
  await Promise.all((cfg.sources ?? []).map((s) => s.start((r) => queue.add(key(r)), signal)));
  const untrack = cfg.queueMetrics?.track(cfg.name, queue);
  signal.addEventListener(
    'abort',
    () => {
      queue.shutdown();
      untrack?.();
    },
    { once: true },
  );
  const worker = async () => {
    for (let k = await queue.get(); k !== undefined; k = await queue.get()) {
      await processOne(cfg, queue, k, signal, log);
    }
  };
  await Promise.all(Array.from({ length: cfg.workers ?? 2 }, worker));
}

async function processOne(cfg: ControllerConfig, queue: WorkQueue<string>, k: string, signal: AbortSignal, log: (msg: string, f: Record<string, unknown>) => void): Promise<void> {
  const timeout = AbortSignal.timeout(cfg.timeoutMs ?? 60_000);
  const combined = AbortSignal.any([signal, timeout]);
  try {
    const result = await cfg.reconciler.reconcile(parse(k), combined);
    queue.forget(k);
    if (result?.requeueAfterMs !== undefined) queue.addAfter(k, result.requeueAfterMs);
  } catch (err) {
    if (signal.aborted) return;
    if (err instanceof TerminalError) {
      log('reconcile failed permanently', { controller: cfg.name, object: k, err: err.message });
      queue.forget(k);
    } else {
      log('reconcile failed, retrying', { controller: cfg.name, object: k, retries: queue.retries(k), err: err instanceof Error ? err.message : String(err) });
      queue.addRateLimited(k);
    }
  } finally {
    queue.done(k);
  }
}

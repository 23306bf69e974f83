/**
 * client-go's work-queue metrics, `workqueue_depth{name}` and `workqueue_adds_total{name}`, read
 * from each controller's queue when Prometheus scrapes (the queue keeps only plain counters).
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { QueueMetrics } from './reconciler.ts';

/** What the metrics read from a queue. */
interface ObservedQueue {
  readonly length: number;
  readonly adds: number;
}

/**
 * Registers the work-queue metrics on `registry`. Adds keep accumulating across the queues one
 * name has had (a controller's queue is rebuilt when it regains leadership), as a counter must.
 */
export function createWorkQueueMetrics(registry: Registry): QueueMetrics {
  const live = new Map<string, ObservedQueue>();
  const retired = new Map<string, number>();
  const addsOf = (name: string) => (retired.get(name) ?? 0) + (live.get(name)?.adds ?? 0);
  new Gauge({
    name: 'workqueue_depth',
    help: 'Current depth of workqueue',
    labelNames: ['name'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [name, q] of live) this.set({ name }, q.length);
    },
  });
  new Counter({
    name: 'workqueue_adds_total',
    help: 'Total number of adds handled by workqueue',
    labelNames: ['name'],
    registers: [registry],
    collect() {
      this.reset();
      for (const name of new Set([...live.keys(), ...retired.keys()])) this.inc({ name }, addsOf(name));
    },
  });
  return {
    track(name, queue) {
      live.set(name, queue);
      return () => {
        if (live.get(name) !== queue) return;
        retired.set(name, addsOf(name));
        live.delete(name);
      };
    },
  };
}

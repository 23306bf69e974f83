/**
 * kube-scheduler's attempt metrics: `scheduler_schedule_attempts_total{result,profile}` and
 * `scheduler_scheduling_attempt_duration_seconds{result,profile}` (one attempt = one scheduling
 * cycle, plus its binding when a node was chosen), with upstream's results and buckets.
 */
import { Counter, Histogram, type Registry } from 'prom-client';

/** How one scheduling attempt ended. */
export type AttemptResult = 'scheduled' | 'unschedulable' | 'error';

/** Receives the scheduler's attempts. */
export interface SchedulerMetrics {
  attempt(profile: string, result: AttemptResult, seconds: number): void;
}

/** Upstream's buckets: exponential from 1 ms, factor 2, 15 buckets. */
const ATTEMPT_BUCKETS = Array.from({ length: 15 }, (_, i) => 0.001 * 2 ** i);

/** Registers the scheduler metrics on `registry`. */
export function createSchedulerMetrics(registry: Registry): SchedulerMetrics {
  const labelNames = ['result', 'profile'];
  const attempts = new Counter({ name: 'scheduler_schedule_attempts_total', help: 'Number of attempts to schedule pods, by the result. \'unschedulable\' means a pod could not be scheduled, while \'error\' means an internal scheduler problem.', labelNames, registers: [registry] });
  const duration = new Histogram({ name: 'scheduler_scheduling_attempt_duration_seconds', help: 'Scheduling attempt latency in seconds (scheduling algorithm + binding)', labelNames, buckets: ATTEMPT_BUCKETS, registers: [registry] });
  return {
    attempt(profile, result, seconds) {
      attempts.inc({ result, profile });
      duration.observe({ result, profile }, seconds);
    },
  };
}

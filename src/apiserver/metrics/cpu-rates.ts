/**
 * CPU usage as a rate: the agents report cumulative CPU time, so usage is the difference between
 * two samples over their time distance. Per node we keep the last two samples and always use a
 * base at least `minWindowMs` older than the current one, as metrics-server does with its scrapes.
 */

/** One scrape of a node: cumulative CPU nanoseconds per key (`node`, `ns/pod/container`) with read times. */
export interface CpuSample {
  at: number;
  cpu: Map<string, { ns: number; timeMs: number }>;
}

export interface RateWindow {
  base: CpuSample;
  current: CpuSample;
}

export class CpuRateCache {
  private readonly samples = new Map<string, { older?: CpuSample; prev: CpuSample }>();

  constructor(private readonly minWindowMs: number) {}

  /**
   * Records `current` for `node` and returns the window to compute rates over, or undefined when
   * no sample is old enough yet (the caller scrapes again after `minWindowMs`).
   */
  offer(node: string, current: CpuSample): RateWindow | undefined {
    const cached = this.samples.get(node);
    if (!cached) {
      this.samples.set(node, { prev: current });
      return undefined;
    }
    if (current.at - cached.prev.at >= this.minWindowMs) {
      this.samples.set(node, { older: cached.prev, prev: current });
      return { base: cached.prev, current };
    }
    if (cached.older && current.at - cached.older.at >= this.minWindowMs) return { base: cached.older, current };
    return undefined;
  }

  forget(node: string): void {
    this.samples.delete(node);
  }
}

/** Nanocores used by `key` over the window; undefined when either sample lacks it or the counter went back (restart). */
export function rateOf(w: RateWindow, key: string): number | undefined {
  const a = w.base.cpu.get(key);
  const b = w.current.cpu.get(key);
  if (!a || !b || b.timeMs <= a.timeMs || b.ns < a.ns) return undefined;
  return Math.round(((b.ns - a.ns) / (b.timeMs - a.timeMs)) * 1000);
}

/** metav1.Duration text of a window, e.g. `1.004s`. */
export function windowText(w: RateWindow): string {
  return `${((w.current.at - w.base.at) / 1000).toFixed(3)}s`;
}

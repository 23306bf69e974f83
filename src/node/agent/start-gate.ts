/**
 * Bounds how many pods are being started at once, first come first served. Starting a pod is CPU
 * work (netns, CNI plugins, mounts, runc); with a burst of 100 pods on two cores, starting them
 * all together makes every pod wait for the whole burst, while a few at a time lets the first pods
 * run after a fraction of it and the last ones no later than before.
 */
export class StartGate {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limit: number) {
    if (!(limit >= 1)) throw new Error(`start gate limit must be at least 1, got ${limit}`);
  }

  /** Runs `work` once a slot is free; slots are handed out in arrival order. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next(); // the slot passes straight to the next in line
      else this.active--;
    }
  }

  /** Pods waiting for a slot (for metrics and logs). */
  get queued(): number {
    return this.waiting.length;
  }
}

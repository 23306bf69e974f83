/**
 * Runs API writes with a bounded number in flight, in submission order: thousands of simulated
 * pods changing phase at once become a steady pipeline instead of a burst of sockets.
 */
export class WritePool {
  private readonly pending: Array<() => Promise<void>> = [];
  private running = 0;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly limit: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  submit(task: () => Promise<void>): void {
    this.pending.push(task);
    this.pump();
  }

  get backlog(): number {
    return this.pending.length + this.running;
  }

  /** Resolves when nothing is pending or running. */
  idle(): Promise<void> {
    return this.backlog === 0 ? Promise.resolve() : new Promise((r) => this.idleWaiters.push(r));
  }

  private pump(): void {
    while (this.running < this.limit) {
      const task = this.pending.shift();
      if (!task) break;
      this.running++;
      task()
        .catch(this.onError)
        .finally(() => {
          this.running--;
          this.pump();
          if (this.backlog === 0) {
            for (const w of this.idleWaiters) w();
            this.idleWaiters = [];
          }
        });
    }
  }
}

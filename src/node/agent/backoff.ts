/**
 * CrashLoopBackOff as the kubelet applies it: the first restart is immediate, each later one waits
 * (measured from when the container finished) 10 s, 20 s, 40 s … up to 5 min; a container that ran
 * for 10 min before exiting starts over from no back-off.
 */

/** Timings of {@link CrashBackoff}; the defaults are the kubelet's. */
export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
  /** A run at least this long forgets the back-off. */
  resetAfterMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 10_000, maxMs: 300_000, resetAfterMs: 600_000 };

/** The decision for one exited container that its restart policy says to restart. */
export type RestartDecision = { restart: true } | { restart: false; waitMs: number; backoffMs: number };

/** Back-off state per container key (`<pod uid>/<container name>`). */
export class CrashBackoff {
  private readonly delays = new Map<string, number>();

  constructor(private readonly policy: BackoffPolicy = DEFAULT_BACKOFF) {}

  /**
   * Whether to restart now. Calling it with `restart: true` as the answer counts a restart, so call
   * it once per restart attempt. Times are epoch milliseconds.
   */
  decide(key: string, now: number, startedAt: number | undefined, finishedAt: number): RestartDecision {
    if (startedAt !== undefined && finishedAt - startedAt >= this.policy.resetAfterMs) this.delays.delete(key);
    const delay = this.delays.get(key);
    if (delay === undefined) {
      this.delays.set(key, this.policy.initialMs);
      return { restart: true };
    }
    const readyAt = finishedAt + delay;
    if (now < readyAt) return { restart: false, waitMs: readyAt - now, backoffMs: delay };
    this.delays.set(key, Math.min(delay * 2, this.policy.maxMs));
    return { restart: true };
  }

  /** Drops every entry of a pod (when it goes away). */
  forgetPod(uid: string): void {
    for (const key of this.delays.keys()) if (key.startsWith(`${uid}/`)) this.delays.delete(key);
  }
}

/**
 * The result bookkeeping of one probe of one container (the kubelet's prober worker without the
 * timer): when the next run is due, and how consecutive results turn into a result per the
 * probe's success and failure thresholds.
 */
import type { Probe } from 'kubernetes-types/core/v1.js';

export type ProbeKind = 'liveness' | 'readiness' | 'startup';
export type ProbeResult = 'success' | 'failure';

/** Tracks one probe; all times are epoch milliseconds. */
export class ProbeTracker {
  private last: number | undefined;
  private streak = 0;
  private streakOf: ProbeResult | undefined;
  private current: ProbeResult;

  constructor(
    readonly kind: ProbeKind,
    readonly probe: Probe,
    private readonly containerStartedAt: number,
  ) {
    // Readiness starts failing (not ready until proven); liveness starts passing; startup starts unknown (failing).
    this.current = kind === 'liveness' ? 'success' : 'failure';
  }

  get result(): ProbeResult {
    return this.current;
  }

  get periodMs(): number {
    return (this.probe.periodSeconds ?? 10) * 1000;
  }

  get timeoutMs(): number {
    return (this.probe.timeoutSeconds ?? 1) * 1000;
  }

  /** Time of the next run. */
  nextAt(): number {
    if (this.last === undefined) return this.containerStartedAt + (this.probe.initialDelaySeconds ?? 0) * 1000;
    return this.last + this.periodMs;
  }

  due(now: number): boolean {
    return now >= this.nextAt();
  }

  /** Records a run's outcome; returns true when the probe's result changed. */
  record(outcome: ProbeResult, now: number): boolean {
    this.last = now;
    if (this.streakOf === outcome) this.streak++;
    else {
      this.streakOf = outcome;
      this.streak = 1;
    }
    const threshold = outcome === 'success' ? (this.probe.successThreshold ?? 1) : (this.probe.failureThreshold ?? 3);
    if (this.current !== outcome && this.streak >= threshold) {
      this.current = outcome;
      return true;
    }
    return false;
  }

  /** After a liveness or startup failure the container is restarted and this tracker is spent. */
  get killsContainer(): boolean {
    return (this.kind === 'liveness' || this.kind === 'startup') && this.current === 'failure' && this.streakOf === 'failure' && this.streak >= (this.probe.failureThreshold ?? 3);
  }
}

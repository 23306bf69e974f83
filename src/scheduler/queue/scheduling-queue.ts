import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Clock } from '../../client/clock.ts';
import { podKey } from '../cache/pod-info.ts';
import { KeyedHeap } from './heap.ts';

/** A pod waiting to be scheduled, with its attempt history. */
export interface QueuedPod {
  pod: Pod;
  key: string;
  priority: number;
  /** creationTimestamp in ms: ties in priority go to the older pod. */
  created: number;
  attempts: number;
  /** When its backoff ends (ms since epoch). */
  backoffUntil: number;
  /** When it entered the unschedulable set. */
  parkedAt: number;
}

export interface QueueOptions {
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Unschedulable pods are retried after this long even without a cluster event (upstream: 5 min). */
  maxUnschedulableMs?: number;
}

interface InFlight {
  latest: Pod;
  /** A cluster event arrived while this pod was being scheduled: do not park it. */
  moved: boolean;
  deleted: boolean;
}

const higherFirst = (a: QueuedPod, b: QueuedPod) => (a.priority !== b.priority ? a.priority > b.priority : a.created < b.created);

/**
 * kube-scheduler's three queues: `active` (by priority, then age), `backoff` (failed pods cooling
 * down, 1 s doubling to 10 s) and `unschedulable` (parked until a cluster event — node added or
 * changed, pod deleted, claim changed — might make them fit, or until maxUnschedulableMs passes).
 */
export class SchedulingQueue {
  private readonly active = new KeyedHeap<QueuedPod>((q) => q.key, higherFirst);
  private readonly backoff = new KeyedHeap<QueuedPod>((q) => q.key, (a, b) => a.backoffUntil < b.backoffUntil);
  private readonly unschedulable = new Map<string, QueuedPod>();
  private readonly inFlight = new Map<string, InFlight>();
  private waiters: Array<(q: QueuedPod | undefined) => void> = [];
  private closed = false;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly maxUnschedulableMs: number;

  constructor(
    private readonly clock: Clock,
    opts: QueueOptions = {},
  ) {
    this.initialBackoffMs = opts.initialBackoffMs ?? 1000;
    this.maxBackoffMs = opts.maxBackoffMs ?? 10_000;
    this.maxUnschedulableMs = opts.maxUnschedulableMs ?? 60_000;
  }

  /** A new or changed pod that still needs a node. */
  add(pod: Pod): void {
    const key = podKey(pod);
    const flight = this.inFlight.get(key);
    if (flight) {
      flight.latest = pod;
      return;
    }
    const queued = this.active.get(key) ?? this.backoff.get(key);
    if (queued) {
      queued.pod = pod;
      queued.priority = pod.spec?.priority ?? 0;
      if (this.active.has(key)) this.active.push(queued);
      return;
    }
    const parked = this.unschedulable.get(key);
    if (parked) {
      const changed = specOrLabelsChanged(parked.pod, pod);
      parked.pod = pod;
      if (changed) this.unpark(parked);
      return;
    }
    this.pushActive({ pod, key, priority: pod.spec?.priority ?? 0, created: Date.parse(pod.metadata?.creationTimestamp ?? '') || 0, attempts: 0, backoffUntil: 0, parkedAt: 0 });
  }

  delete(key: string): void {
    this.active.delete(key);
    this.backoff.delete(key);
    this.unschedulable.delete(key);
    const flight = this.inFlight.get(key);
    if (flight) flight.deleted = true;
  }

  /** The next pod to schedule (highest priority, oldest); undefined once closed. */
  pop(): Promise<QueuedPod | undefined> {
    const next = this.active.pop();
    if (next) return Promise.resolve(this.takeOff(next));
    if (this.closed) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** The pod's cycle (and binding) finished; `bound` pods leave the queue for good. */
  done(key: string): void {
    this.inFlight.delete(key);
  }

  /** A pod that did not fit: parked until a cluster event, unless one already happened during its cycle. */
  requeueUnschedulable(q: QueuedPod): void {
    const flight = this.finishFlight(q);
    if (!flight) return;
    q.attempts++;
    q.backoffUntil = this.clock.now().getTime() + this.backoffMs(q.attempts);
    if (flight.moved) this.backoff.push(q);
    else {
      q.parkedAt = this.clock.now().getTime();
      this.unschedulable.set(q.key, q);
    }
  }

  /** A pod whose attempt failed with an error (e.g. binding): retried after backoff. */
  requeueAfterError(q: QueuedPod): void {
    const flight = this.finishFlight(q);
    if (!flight) return;
    q.attempts++;
    q.backoffUntil = this.clock.now().getTime() + this.backoffMs(q.attempts);
    this.backoff.push(q);
  }

  /** Something in the cluster changed that may let parked pods fit: retry them (after their backoff). */
  moveAllToActiveOrBackoff(): void {
    for (const f of this.inFlight.values()) f.moved = true;
    for (const q of [...this.unschedulable.values()]) this.unpark(q);
  }

  /** Moves pods whose backoff ended, and pods parked too long, to active. Call periodically. */
  flush(): void {
    const now = this.clock.now().getTime();
    for (let q = this.backoff.peek(); q && q.backoffUntil <= now; q = this.backoff.peek()) {
      this.backoff.pop();
      this.pushActive(q);
    }
    for (const q of [...this.unschedulable.values()]) if (now - q.parkedAt >= this.maxUnschedulableMs) this.unpark(q);
  }

  /** Counts per queue, for logs and tests. */
  stats(): { active: number; backoff: number; unschedulable: number; inFlight: number } {
    return { active: this.active.size, backoff: this.backoff.size, unschedulable: this.unschedulable.size, inFlight: this.inFlight.size };
  }

  close(): void {
    this.closed = true;
    for (const w of this.waiters) w(undefined);
    this.waiters = [];
  }

  private unpark(q: QueuedPod): void {
    this.unschedulable.delete(q.key);
    if (q.backoffUntil > this.clock.now().getTime()) this.backoff.push(q);
    else this.pushActive(q);
  }

  private pushActive(q: QueuedPod): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter(this.takeOff(q));
    else this.active.push(q);
  }

  private takeOff(q: QueuedPod): QueuedPod {
    this.inFlight.set(q.key, { latest: q.pod, moved: false, deleted: false });
    return q;
  }

  /** Ends the flight; returns it unless the pod was deleted meanwhile. Picks up the latest object. */
  private finishFlight(q: QueuedPod): InFlight | undefined {
    const flight = this.inFlight.get(q.key);
    this.inFlight.delete(q.key);
    if (!flight || flight.deleted) return undefined;
    q.pod = flight.latest;
    return flight;
  }

  private backoffMs(attempts: number): number {
    return Math.min(this.initialBackoffMs * 2 ** Math.max(0, attempts - 1), this.maxBackoffMs);
  }
}

/** Status-only updates (our own condition writes among them) must not unpark a pod. */
function specOrLabelsChanged(a: Pod, b: Pod): boolean {
  return JSON.stringify([a.spec, a.metadata?.labels, a.metadata?.annotations]) !== JSON.stringify([b.spec, b.metadata?.labels, b.metadata?.annotations]);
}

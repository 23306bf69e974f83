import type { ObjectLike } from '../api/types.ts';
import type { Clock } from '../client/clock.ts';
import type { Informer } from '../client/informer.ts';

/** What to reconcile: only a name, never the event (level-based). */
export interface Request {
  namespace?: string;
  name: string;
}

/** What the runtime should do next with this request. */
export interface Result {
  /** Reconcile again after this long, even if nothing changes (e.g. a pending deadline). */
  requeueAfterMs?: number;
}

/** An error the runtime must not retry (the object is invalid until someone changes it). */
export class TerminalError extends Error {}

/**
 * The whole controller contract. `reconcile` reads desired and observed state (from listers, never
 * mutating cached objects), acts through the API, and returns. Throwing retries with backoff.
 */
export interface Reconciler {
  reconcile(req: Request, signal: AbortSignal): Promise<Result | void>;
}

/** Maps a watched object to the requests it should trigger (e.g. a Pod → its owner ReplicaSet). */
export interface Watch<T extends ObjectLike = ObjectLike> {
  informer: Informer<T>;
  toRequests(obj: T): Request[];
}

/**
 * An event source beyond fixed informer watches (controller-runtime's `source.Source`), e.g. the
 * garbage collector's informers that appear as resources are discovered. `start` resolves once the
 * source's initial state has been enqueued; it keeps enqueuing until `signal` aborts.
 */
export interface Source {
  start(enqueue: (r: Request) => void, signal: AbortSignal): Promise<void>;
}

export interface ControllerConfig {
  name: string;
  reconciler: Reconciler;
  watches: Watch[];
  sources?: Source[];
  workers?: number;
  clock?: Clock;
  /** Longest a single reconcile may run before it is abandoned and retried. */
  timeoutMs?: number;
  log?: (msg: string, fields: Record<string, unknown>) => void;
  /** Where the controller's queue reports its depth and adds (Prometheus); none when absent. */
  queueMetrics?: QueueMetrics;
}

/** Observes controllers' work queues for metrics. */
export interface QueueMetrics {
  /** Reads `queue` under `name` until the returned function is called (the controller stopped). */
  track(name: string, queue: { readonly length: number; readonly adds: number }): () => void;
}

/** Owner-reference mapping: the controller owner of `obj` if it is of `kind`. */
export function ownerRequest(obj: ObjectLike, kind: string): Request[] {
  const owner = obj.metadata?.ownerReferences?.find((o) => o.controller && o.kind === kind);
  return owner ? [{ namespace: obj.metadata?.namespace, name: owner.name }] : [];
}

export function selfRequest(obj: ObjectLike): Request[] {
  return [{ namespace: obj.metadata?.namespace, name: obj.metadata?.name ?? '' }];
}

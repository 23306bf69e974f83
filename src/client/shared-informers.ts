import type { ObjectLike } from '../api/types.ts';
import type { Clock } from './clock.ts';
import { Informer } from './informer.ts';
import type { KubeClient } from './kube-client.ts';
import type { ResourceRef } from './resource-ref.ts';

/**
 * One informer per resource, shared by every controller in a process (client-go's
 * SharedInformerFactory): one list+watch per resource however many controllers read it.
 */
export class SharedInformers {
  private readonly informers = new Map<string, Informer>();
  private readonly running = new Set<string>();
  private signal?: AbortSignal;

  constructor(
    private readonly client: KubeClient,
    private readonly opts: { clock?: Clock; resyncMs?: number; onError?: (err: unknown) => void } = {},
  ) {}

  for<T extends ObjectLike = ObjectLike>(r: ResourceRef): Informer<T> {
    const key = `${r.group}/${r.version}/${r.resource}`;
    let inf = this.informers.get(key);
    if (!inf) {
      inf = new Informer(this.client, r, { clock: this.opts.clock, resyncMs: this.opts.resyncMs, onError: this.opts.onError });
      this.informers.set(key, inf);
      if (this.signal) this.startOne(key, inf, this.signal);
    }
    return inf as unknown as Informer<T>;
  }

  /** Starts every informer requested so far, and any requested later. */
  start(signal: AbortSignal): void {
    this.signal = signal;
    for (const [key, inf] of this.informers) this.startOne(key, inf, signal);
  }

  private startOne(key: string, inf: Informer, signal: AbortSignal): void {
    if (this.running.has(key)) return;
    this.running.add(key);
    void inf.run(signal);
  }
}

/**
 * Kubernetes Events about pods, as the kubelet reports them (Pulled, Created, Started, Killing,
 * BackOff, Unhealthy, Failed, FailedMount), so `kubectl describe pod` tells the story. Events are
 * best effort: a failed write is dropped. Repeats of the same event within a minute are dropped too.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../client/clock.ts';
import type { KubeClient } from '../../client/kube-client.ts';
import { R } from '../../client/resource-ref.ts';
import { rfc3339 } from './pod-status.ts';

const REPEAT_WINDOW_MS = 60_000;

/** Writes pod events for one node. */
export class PodEvents {
  private readonly recent = new Map<string, number>();

  constructor(private readonly client: KubeClient, private readonly nodeName: string, private readonly clock: Clock) {}

  /** Records an event; `container` sets the involved object's fieldPath. Never throws. */
  emit(pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string, container?: string): void {
    const uid = pod.metadata?.uid ?? '';
    const key = `${uid}\0${reason}\0${message}`;
    const now = this.clock.now();
    const last = this.recent.get(key);
    if (last !== undefined && now.getTime() - last < REPEAT_WINDOW_MS) return;
    this.recent.set(key, now.getTime());
    if (this.recent.size > 10_000) this.recent.clear();
    const ns = pod.metadata?.namespace ?? 'default';
    const t = rfc3339(now);
    void this.client.create(R.events, {
      metadata: { name: `${pod.metadata?.name ?? 'pod'}.${randomBytes(8).toString('hex')}`, namespace: ns },
      involvedObject: { apiVersion: 'v1', kind: 'Pod', name: pod.metadata?.name, namespace: ns, uid, ...(container ? { fieldPath: `spec.containers{${container}}` } : {}) },
      reason, message, type,
      source: { component: 'kubelet', host: this.nodeName },
      reportingComponent: 'kubelet', reportingInstance: this.nodeName,
      firstTimestamp: t, lastTimestamp: t, count: 1,
    }).catch(() => undefined);
  }

  /** Forgets a pod's de-duplication entries. */
  forget(uid: string): void {
    for (const key of this.recent.keys()) if (key.startsWith(`${uid}\0`)) this.recent.delete(key);
  }
}

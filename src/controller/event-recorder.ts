import type { KubeObject, ObjectLike } from '../api/types.ts';
import type { Clock } from '../client/clock.ts';
import type { KubeClient } from '../client/kube-client.ts';
import { R } from '../client/resource-ref.ts';

export type EventType = 'Normal' | 'Warning';

/** Records core/v1 Events about objects, as `kubectl describe` shows them (involvedObject with uid). */
export interface EventRecorder {
  event(obj: ObjectLike | KubeObject, type: EventType, reason: string, message: string): void;
}

function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Writes Events asynchronously (never blocking a reconcile); repeats of the same reason and
 * message on the same object bump `count` on one Event instead of creating new ones.
 */
export function createEventRecorder(client: KubeClient, component: string, clock: Clock, log?: (msg: string, f: Record<string, unknown>) => void): EventRecorder {
  const recent = new Map<string, { name: string; namespace: string; count: number; first: string }>();
  return {
    event(obj, type, reason, message) {
      const namespace = obj.metadata?.namespace ?? 'default';
      const key = `${obj.metadata?.uid ?? ''}/${reason}/${message}`;
      const now = rfc3339(clock.now());
      const seen = recent.get(key);
      const write = async () => {
        if (seen) {
          seen.count++;
          await client.patch(R.events, seen.namespace, seen.name, 'merge', { count: seen.count, lastTimestamp: now });
          return;
        }
        const name = `${obj.metadata?.name ?? 'object'}.${(clock.now().getTime() * 1000 + Math.floor(Math.random() * 1000)).toString(16)}`;
        recent.set(key, { name, namespace, count: 1, first: now });
        if (recent.size > 4096) recent.delete(recent.keys().next().value as string);
        await client.create(R.events, {
          metadata: { name, namespace },
          involvedObject: { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata?.name, namespace: obj.metadata?.namespace, uid: obj.metadata?.uid, resourceVersion: obj.metadata?.resourceVersion },
          reason,
          message,
          type,
          count: 1,
          firstTimestamp: now,
          lastTimestamp: now,
          source: { component },
          reportingComponent: component,
          reportingInstance: component,
        });
      };
      write().catch((err: unknown) => log?.('event not recorded', { reason, err: String(err) }));
    },
  };
}

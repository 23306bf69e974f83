import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import type { Clock } from '../../client/clock.ts';
import type { Lister } from '../../client/informer.ts';
import type { KubeClient } from '../../client/kube-client.ts';
import type { EventRecorder } from '../../controller/event-recorder.ts';
import type { SchedulerCache } from '../cache/scheduler-cache.ts';

/** What plugins may reach beyond the pod and node: the API client, read-only listers, the cache. */
export interface PluginContext {
  client: KubeClient;
  clock: Clock;
  cache: SchedulerCache;
  recorder: EventRecorder;
  pvcs: Lister<PersistentVolumeClaim>;
  pvs: Lister<PersistentVolume>;
  storageClasses: Lister<StorageClass>;
  log: (msg: string, fields: Record<string, unknown>) => void;
}

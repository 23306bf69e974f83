import type { Clock } from '../client/clock.ts';
import type { KubeClient } from '../client/kube-client.ts';
import type { SharedInformers } from '../client/shared-informers.ts';
import type { EventRecorder } from '../controller/event-recorder.ts';
import type { ControllerConfig } from '../controller/reconciler.ts';

/** What every controller factory gets: the API client, shared informers, events, time and logging. */
export interface ControllerContext {
  client: KubeClient;
  informers: SharedInformers;
  recorder(component: string): EventRecorder;
  clock: Clock;
  log: (msg: string, fields: Record<string, unknown>) => void;
}

/** A controller factory: builds the controller's config (reconciler + watches) from the context. */
export type ControllerFactory = (ctx: ControllerContext) => ControllerConfig;

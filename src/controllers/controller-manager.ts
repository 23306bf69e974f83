import { hostname } from 'node:os';
import { realClock, type Clock } from '../client/clock.ts';
import type { KubeClient } from '../client/kube-client.ts';
import { SharedInformers } from '../client/shared-informers.ts';
import { runController } from '../controller/controller-runtime.ts';
import { createEventRecorder } from '../controller/event-recorder.ts';
import { runWithLeaderElection } from '../controller/leader-election.ts';
import type { QueueMetrics } from '../controller/reconciler.ts';
import { ALL_CONTROLLERS } from './all-controllers.ts';
import type { ControllerContext, ControllerFactory } from './controller-context.ts';

export interface ControllerManagerConfig {
  client: KubeClient;
  clock?: Clock;
  /** Run only these controllers (default: all). */
  only?: string[];
  controllers?: Record<string, ControllerFactory>;
  identity?: string;
  leaderElection?: boolean;
  /** Receives every controller's work-queue depth and adds (Prometheus). */
  queueMetrics?: QueueMetrics;
  log?: (msg: string, fields: Record<string, unknown>) => void;
}

/** Runs the controllers (under leader election by default) until `signal` aborts. */
export async function runControllerManager(cfg: ControllerManagerConfig, signal: AbortSignal): Promise<void> {
  const clock = cfg.clock ?? realClock;
  const log = cfg.log ?? (() => undefined);
  const all = cfg.controllers ?? ALL_CONTROLLERS;
  const names = cfg.only ?? Object.keys(all);
  const lead = async (leading: AbortSignal) => {
    const informers = new SharedInformers(cfg.client, { clock, onError: (err) => log('informer error', { err: String(err) }) });
    const ctx: ControllerContext = { client: cfg.client, informers, clock, log, recorder: (component) => createEventRecorder(cfg.client, component, clock, log) };
    const configs = names.map((n) => {
      const factory = all[n];
      if (!factory) throw new Error(`unknown controller ${n}`);
      return factory(ctx);
    });
    informers.start(leading);
    await Promise.all(configs.map((c) => runController({ clock, log, queueMetrics: cfg.queueMetrics, ...c }, leading)));
  };
  if (cfg.leaderElection === false) return lead(signal);
  await runWithLeaderElection({ client: cfg.client, name: 'kube-controller-manager', identity: cfg.identity ?? `${hostname()}_${process.pid}`, clock, log }, signal, lead);
}

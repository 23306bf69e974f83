import { hostname } from 'node:os';
import type { Node, PersistentVolume, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import { realClock, type Clock } from '../client/clock.ts';
import type { KubeClient } from '../client/kube-client.ts';
import { R } from '../client/resource-ref.ts';
import { SharedInformers } from '../client/shared-informers.ts';
import { createEventRecorder } from '../controller/event-recorder.ts';
import { runWithLeaderElection } from '../controller/leader-election.ts';
import { newPodInfo, podKey, type PodInfo } from './cache/pod-info.ts';
import { SchedulerCache } from './cache/scheduler-cache.ts';
import type { CycleState } from './framework/cycle-state.ts';
import type { Framework } from './framework/framework.ts';
import type { PluginContext } from './framework/plugin-context.ts';
import { isSuccess } from './framework/status.ts';
import { defaultFramework } from './plugins/default-plugins.ts';
import { SchedulingQueue, type QueueOptions, type QueuedPod } from './queue/scheduling-queue.ts';
import { CycleCursor, scheduleOne, type CycleDeps } from './schedule-one.ts';
import type { AttemptResult, SchedulerMetrics } from './scheduler-metrics.ts';

export interface SchedulerConfig {
  client: KubeClient;
  clock?: Clock;
  log?: (msg: string, fields: Record<string, unknown>) => void;
  /** Pods naming another `spec.schedulerName` are left alone. */
  schedulerName?: string;
  /** Default true: only the holder of Lease kube-system/kube-scheduler schedules. */
  leaderElection?: boolean;
  identity?: string;
  percentageOfNodesToScore?: number;
  queue?: QueueOptions;
  /** Bindings in flight at once (default 256). */
  maxInFlightBindings?: number;
  /** Receives each scheduling attempt's result and latency (Prometheus). */
  metrics?: SchedulerMetrics;
}

/** Runs the scheduler (under leader election unless disabled) until `signal` aborts. */
export async function runScheduler(cfg: SchedulerConfig, signal: AbortSignal): Promise<void> {
  const clock = cfg.clock ?? realClock;
  const lead = (leading: AbortSignal) => new Scheduler(cfg).run(leading);
  if (cfg.leaderElection === false) return lead(signal);
  await runWithLeaderElection({ client: cfg.client, name: 'kube-scheduler', identity: cfg.identity ?? `${hostname()}_${process.pid}`, clock, log: cfg.log }, signal, lead);
}

const TERMINAL = new Set(['Succeeded', 'Failed']);

/** The scheduler process: informers feed the cache and queue; one loop runs scheduling cycles. */
export class Scheduler {
  private readonly clock: Clock;
  private readonly log: (msg: string, fields: Record<string, unknown>) => void;
  private readonly schedulerName: string;
  private readonly informers: SharedInformers;
  readonly cache = new SchedulerCache();
  readonly queue: SchedulingQueue;
  private readonly nominated = new Map<string, Map<string, PodInfo>>();
  private readonly nominatedOf = new Map<string, string>();
  private readonly ctx: PluginContext;
  private readonly framework: Framework;
  private bindingsInFlight = 0;
  private bindingSlotWaiters: Array<() => void> = [];
  /** When the current attempt of each pod began (ms), for the attempt latency. */
  private readonly attemptStarted = new Map<string, number>();

  constructor(private readonly cfg: SchedulerConfig) {
    this.clock = cfg.clock ?? realClock;
    this.log = cfg.log ?? (() => undefined);
    this.schedulerName = cfg.schedulerName ?? 'default-scheduler';
    this.informers = new SharedInformers(cfg.client, { clock: this.clock, onError: (err) => this.log('informer error', { err: String(err) }) });
    this.queue = new SchedulingQueue(this.clock, cfg.queue);
    this.ctx = {
      client: cfg.client,
      clock: this.clock,
      cache: this.cache,
      log: this.log,
      recorder: createEventRecorder(cfg.client, this.schedulerName, this.clock, this.log),
      pvcs: this.informers.for<PersistentVolumeClaim>(R.persistentvolumeclaims),
      pvs: this.informers.for<PersistentVolume>(R.persistentvolumes),
      storageClasses: this.informers.for<StorageClass>(R.storageclasses),
    };
    this.framework = defaultFramework(this.ctx);
  }

  async run(signal: AbortSignal): Promise<void> {
    this.wireInformers();
    this.informers.start(signal);
    await Promise.all([R.pods, R.nodes, R.persistentvolumeclaims, R.persistentvolumes, R.storageclasses].map((r) => this.informers.for(r).waitForSync()));
    this.log('scheduler started', { scheduler: this.schedulerName, nodes: this.cache.nodeList().length });
    signal.addEventListener('abort', () => this.queue.close(), { once: true });
    const flusher = this.flushLoop(signal);
    const deps: CycleDeps = { ctx: this.ctx, framework: this.framework, queue: this.queue, nominated: this.nominated, percentageOfNodesToScore: this.cfg.percentageOfNodesToScore, startBinding: (q, state, info, node) => this.startBinding(q, state, info, node, signal), attempted: (q, result) => this.attempted(q, result) };
    const cursor = new CycleCursor();
    let cycles = 0;
    for (let q = await this.queue.pop(); q; q = await this.queue.pop()) {
      this.attemptStarted.set(q.key, this.clock.now().getTime());
      await scheduleOne(deps, cursor, q);
      await this.waitForBindingSlot();
      // Let watch events in between cycles: the queue alone never yields to I/O while it has pods.
      if (++cycles % 64 === 0) await new Promise((r) => setImmediate(r));
    }
    await flusher;
  }

  private async flushLoop(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      await this.clock.sleep(250, signal);
      this.queue.flush();
    }
  }

  private startBinding(q: QueuedPod, state: CycleState, info: PodInfo, nodeName: string, signal: AbortSignal): void {
    this.bindingsInFlight++;
    const bind = async () => {
      const status = await this.framework.runPreBindAndBind(state, info, nodeName, signal).catch((err: unknown) => ({ code: 'Error' as const, reasons: [String(err)] }));
      if (isSuccess(status)) {
        this.attempted(q, 'scheduled');
        this.queue.done(q.key);
        this.ctx.recorder.event(q.pod, 'Normal', 'Scheduled', `Successfully assigned ${q.pod.metadata?.namespace ?? ''}/${q.pod.metadata?.name ?? ''} to ${nodeName}`);
        return;
      }
      this.attempted(q, 'error');
      this.log('binding failed', { pod: q.key, node: nodeName, err: status.reasons.join('; ') });
      this.cache.forgetPod(q.key);
      this.framework.runUnreserve(state, info, nodeName);
      this.queue.requeueAfterError(q);
    };
    void bind().finally(() => {
      this.bindingsInFlight--;
      this.bindingSlotWaiters.shift()?.();
    });
  }

  private attempted(q: QueuedPod, result: AttemptResult): void {
    const started = this.attemptStarted.get(q.key);
    this.attemptStarted.delete(q.key);
    if (started !== undefined) this.cfg.metrics?.attempt(this.schedulerName, result, (this.clock.now().getTime() - started) / 1000);
  }

  private waitForBindingSlot(): Promise<void> {
    if (this.bindingsInFlight < (this.cfg.maxInFlightBindings ?? 256)) return Promise.resolve();
    return new Promise((r) => this.bindingSlotWaiters.push(r));
  }

  private wireInformers(): void {
    const pods = this.informers.for<Pod>(R.pods);
    pods.on({ add: (p) => this.onPod(p), update: (_o, p) => this.onPod(p), delete: (p) => this.onPodDeleted(p) });
    const nodes = this.informers.for<Node>(R.nodes);
    nodes.on({
      add: (n) => (this.cache.addOrUpdateNode(n), this.queue.moveAllToActiveOrBackoff()),
      update: (old, n) => {
        this.cache.addOrUpdateNode(n);
        if (nodeSchedulingChanged(old, n)) this.queue.moveAllToActiveOrBackoff();
      },
      delete: (n) => this.cache.removeNode(n.metadata?.name ?? ''),
    });
    const move = () => this.queue.moveAllToActiveOrBackoff();
    for (const r of [R.persistentvolumeclaims, R.persistentvolumes, R.storageclasses]) this.informers.for(r).on({ add: move, update: move });
  }

  private onPod(pod: Pod): void {
    const key = podKey(pod);
    if (pod.spec?.nodeName) {
      this.queue.delete(key);
      this.setNominated(key, undefined);
      if (TERMINAL.has(pod.status?.phase ?? '')) {
        this.cache.removePod(pod);
        this.queue.moveAllToActiveOrBackoff();
      } else this.cache.addOrUpdatePod(pod);
      return;
    }
    if ((pod.spec?.schedulerName ?? 'default-scheduler') !== this.schedulerName) return;
    if (pod.metadata?.deletionTimestamp || TERMINAL.has(pod.status?.phase ?? '')) {
      this.queue.delete(key);
      this.setNominated(key, undefined);
      return;
    }
    this.setNominated(key, pod);
    if (!this.cache.isAssumed(key)) this.queue.add(pod);
  }

  private onPodDeleted(pod: Pod): void {
    const key = podKey(pod);
    this.queue.delete(key);
    this.setNominated(key, undefined);
    this.cache.removePod(pod);
    this.queue.moveAllToActiveOrBackoff();
  }

  private setNominated(key: string, pod: Pod | undefined): void {
    const previous = this.nominatedOf.get(key);
    const next = pod?.status?.nominatedNodeName;
    if (previous && previous !== next) {
      this.nominated.get(previous)?.delete(key);
      this.nominatedOf.delete(key);
    }
    if (pod && next) {
      let m = this.nominated.get(next);
      if (!m) this.nominated.set(next, (m = new Map()));
      m.set(key, newPodInfo(pod));
      this.nominatedOf.set(key, next);
    }
  }
}

/** Heartbeat-only node updates must not stir the unschedulable pods. */
function nodeSchedulingChanged(a: Node, b: Node): boolean {
  const view = (n: Node) => JSON.stringify([n.spec, n.metadata?.labels, n.status?.allocatable]);
  return view(a) !== view(b);
}

import type { Pod } from 'kubernetes-types/core/v1.js';
import { isConflict, isNotFound } from '../../client/api-error.ts';
import type { Clock } from '../../client/clock.ts';
import type { Lister } from '../../client/informer.ts';
import type { KubeClient } from '../../client/kube-client.ts';
import { R } from '../../client/resource-ref.ts';
import { DueQueue } from './due-queue.ts';
import type { NodeFleet } from './node-fleet.ts';
import { finishedStatus, restartedStatus, runningStatus, simulatedExitCode } from './pod-status.ts';
import type { WritePool } from './write-pool.ts';

export interface PodTimings {
  /** Bound → Running and Ready. */
  startDelayMs: number;
  /** Running → Succeeded/Failed for restartPolicy Never/OnFailure pods. */
  runDurationMs: number;
  /** deletionTimestamp set → deleted (gracePeriodSeconds 0). */
  deleteDelayMs: number;
}

type Phase = 'starting' | 'running' | 'finishing' | 'deleting';

interface Action {
  kind: 'start' | 'finish' | 'delete';
  key: string;
  uid: string;
}

const ignoreGone = (err: unknown) => {
  if (!isNotFound(err) && !isConflict(err)) throw err;
};

/**
 * The simulated kubelets' pod half: moves pods bound to our nodes through Pending → Running/Ready
 * → Succeeded/Failed (run-to-completion pods) and finishes their deletion, as a kubelet would,
 * without running anything. Timed steps go through one DueQueue; writes through the WritePool.
 */
export class PodDriver {
  private readonly phases = new Map<string, Phase>();
  private readonly due = new DueQueue<Action>();
  private readonly ipCounters = new Map<string, number>();

  constructor(
    private readonly d: { client: KubeClient; clock: Clock; pool: WritePool; fleet: NodeFleet; pods: Lister<Pod>; timings: PodTimings },
  ) {}

  onPod(pod: Pod): void {
    if (!this.d.fleet.owns(pod.spec?.nodeName)) return;
    const uid = pod.metadata?.uid ?? '';
    const key = `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
    const state = this.phases.get(uid);
    const now = this.d.clock.now().getTime();
    const { timings } = this.d;
    if (pod.metadata?.deletionTimestamp) {
      if (state !== 'deleting') this.schedule(uid, 'deleting', now + timings.deleteDelayMs, { kind: 'delete', key, uid });
      return;
    }
    const phase = pod.status?.phase ?? 'Pending';
    if (phase === 'Pending' && state === undefined) this.schedule(uid, 'starting', now + timings.startDelayMs, { kind: 'start', key, uid });
    else if (phase === 'Running' && state !== 'finishing' && (pod.spec?.restartPolicy ?? 'Always') !== 'Always') this.schedule(uid, 'finishing', now + timings.runDurationMs, { kind: 'finish', key, uid });
    else if (phase === 'Running' && state === undefined) this.phases.set(uid, 'running');
  }

  onPodDeleted(pod: Pod): void {
    this.phases.delete(pod.metadata?.uid ?? '');
  }

  /** Runs every step that is due. */
  tick(): void {
    for (const a of this.due.popDue(this.d.clock.now().getTime())) {
      const pod = this.d.pods.get(a.key);
      if (!pod || pod.metadata?.uid !== a.uid) continue;
      if (a.kind === 'delete') this.d.pool.submit(() => this.remove(pod));
      else if (pod.metadata?.deletionTimestamp) continue;
      else if (a.kind === 'start') this.d.pool.submit(() => this.start(pod));
      else this.d.pool.submit(() => this.finish(pod));
    }
  }

  private schedule(uid: string, phase: Phase, at: number, action: Action): void {
    this.phases.set(uid, phase);
    this.due.push(at, action);
  }

  private async start(pod: Pod): Promise<void> {
    const nodeName = pod.spec?.nodeName ?? '';
    const hostIP = this.d.fleet.hostIP(nodeName);
    const podIP = pod.spec?.hostNetwork ? hostIP : this.nextPodIp(nodeName);
    await this.writeStatus(pod, runningStatus(pod, { hostIP, podIP }, this.d.clock.now()));
  }

  private async finish(pod: Pod): Promise<void> {
    const code = simulatedExitCode(pod);
    if (code !== 0 && pod.spec?.restartPolicy === 'OnFailure') {
      // The kubelet restarts failed containers in place; the next Running update schedules another run.
      this.phases.set(pod.metadata?.uid ?? '', 'running');
      await this.writeStatus(pod, restartedStatus(pod, code, this.d.clock.now()));
      return;
    }
    await this.writeStatus(pod, finishedStatus(pod, code, this.d.clock.now()));
  }

  private async remove(pod: Pod): Promise<void> {
    const meta = pod.metadata;
    await this.d.client.delete(R.pods, meta?.namespace, meta?.name ?? '', { gracePeriodSeconds: 0, preconditions: { uid: meta?.uid } }).catch(ignoreGone);
  }

  private async writeStatus(pod: Pod, status: object): Promise<void> {
    const meta = pod.metadata;
    await this.d.client.patch(R.pods, meta?.namespace, meta?.name ?? '', 'merge', { status }, { subresource: 'status' }).catch(ignoreGone);
  }

  private nextPodIp(nodeName: string): string {
    const i = this.d.fleet.nodeIndex(nodeName);
    const n = (this.ipCounters.get(nodeName) ?? 0) + 1;
    this.ipCounters.set(nodeName, n);
    return `10.${64 + ((i >> 8) & 63)}.${i & 255}.${(n % 253) + 1}`;
  }
}

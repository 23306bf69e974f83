/**
 * The probes of one pod's running containers: runs the due ones, keeps their results, and kills a
 * container whose liveness (or startup) probe failed, so the restart policy brings it back.
 */
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import type { ContainerStatus } from '../runtime/container-runtime.ts';
import { runProbe } from './probe-runner.ts';
import { ProbeTracker, type ProbeKind } from './probe-tracker.ts';
import type { WorkerContext } from './worker-context.ts';

export class ProbeSet {
  private readonly trackers = new Map<string, Map<ProbeKind, ProbeTracker>>();

  constructor(private readonly ctx: WorkerContext) {}

  private of(id: string): Map<ProbeKind, ProbeTracker> | undefined {
    return this.trackers.get(id);
  }

  /** Startup probe passed (or there is none). */
  started(id: string, c: Container): boolean {
    return !c.startupProbe || this.of(id)?.get('startup')?.result === 'success';
  }

  /** Started and the readiness probe passes (or there is none). */
  ready(id: string, c: Container): boolean {
    if (!this.started(id, c)) return false;
    return !c.readinessProbe || this.of(id)?.get('readiness')?.result === 'success';
  }

  private ensure(c: Container, st: ContainerStatus): Map<ProbeKind, ProbeTracker> {
    let m = this.trackers.get(st.id);
    if (!m) {
      m = new Map();
      const startedAt = Date.parse(st.startedAt ?? st.createdAt);
      if (c.startupProbe) m.set('startup', new ProbeTracker('startup', c.startupProbe, startedAt));
      if (c.livenessProbe) m.set('liveness', new ProbeTracker('liveness', c.livenessProbe, startedAt));
      if (c.readinessProbe) m.set('readiness', new ProbeTracker('readiness', c.readinessProbe, startedAt));
      this.trackers.set(st.id, m);
    }
    return m;
  }

  /** Runs due probes of the running containers; true when a container was killed. */
  async run(pod: Pod, running: Array<{ container: Container; status: ContainerStatus }>, podIP: string | undefined, wakeWithin: (ms: number) => void): Promise<boolean> {
    const live = new Set(running.map((r) => r.status.id));
    for (const id of this.trackers.keys()) if (!live.has(id)) this.trackers.delete(id);
    let killed = false;
    for (const { container, status } of running) {
      const m = this.ensure(container, status);
      const startup = m.get('startup');
      // Until the startup probe succeeds, the other probes do not run (kubelet semantics).
      const active = startup && startup.result !== 'success' ? [startup] : [...m.values()].filter((t) => t.kind !== 'startup');
      for (const t of active) {
        const now = this.ctx.clock.now().getTime();
        if (t.due(now)) {
          const outcome = await runProbe(t.probe, { runtime: this.ctx.runtime, containerId: status.id, container, podIP }, t.timeoutMs);
          t.record(outcome, this.ctx.clock.now().getTime());
          if (outcome === 'failure') this.ctx.events.emit(pod, 'Warning', 'Unhealthy', `${t.kind[0]?.toUpperCase() ?? ''}${t.kind.slice(1)} probe failed`, container.name);
          if (t.killsContainer) {
            killed = true;
            await this.kill(pod, container, status, t);
            break;
          }
        }
        wakeWithin(Math.max(10, t.nextAt() - this.ctx.clock.now().getTime()));
      }
    }
    return killed;
  }

  private async kill(pod: Pod, c: Container, st: ContainerStatus, t: ProbeTracker): Promise<void> {
    this.ctx.log('container failed probe, killing it', { pod: `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`, container: c.name, probe: t.kind });
    const grace = t.probe.terminationGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
    await this.ctx.runtime.stopContainer(st.id, grace);
    this.trackers.delete(st.id);
  }
}

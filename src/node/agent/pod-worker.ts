/**
 * One worker per pod bound to this node. Each pass is level-based: it compares the pod spec with
 * the containers the runtime reports and acts (set up the sandbox, run init containers in order,
 * start or restart app containers, probe, write status). Pod events and timers only wake it.
 */
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isConflict, isNotFound } from '../../client/api-error.ts';
import { R } from '../../client/resource-ref.ts';
import { resolvConf, type PodDnsConfig } from '../network/dns/resolv-conf.ts';
import type { ContainerStatus } from '../runtime/container-runtime.ts';
import { hostsFile } from './container-spec.ts';
import { startContainer, type PodSandbox } from './container-starter.ts';
import { computePodStatus, statusChanged, type ContainerView } from './pod-status.ts';
import { ProbeSet } from './probe-set.ts';
import { terminatePod } from './pod-termination.ts';
import { attemptOf, containerHash, isInit, LABELS, type WorkerContext } from './worker-context.ts';

const PULL_BACKOFF_INITIAL_MS = 10_000;
const PULL_BACKOFF_MAX_MS = 300_000;

/** Keeps one pod's containers in line with its spec until the pod is gone. */
export class PodWorker {
  private readonly instances = new Map<string, ContainerStatus>();
  private readonly waiting = new Map<string, { reason: string; message?: string }>();
  private readonly retryAt = new Map<string, { at: number; delayMs: number }>();
  private readonly probes: ProbeSet;
  private sandbox: PodSandbox | undefined;
  private volumesAt = 0;
  private gone = false;
  /** Past its start: syncs no longer queue at the start gate. */
  private started = false;
  private wakeUp: (() => void) | undefined;
  private nextWakeMs: number | undefined;
  /** When this agent first saw the pod: its start latency is measured from here, as the kubelet's. */
  private readonly firstSeen: number;

  constructor(private readonly ctx: WorkerContext, private pod: Pod, adopted: ContainerStatus[] = []) {
    for (const c of adopted) this.instances.set(c.id, c);
    this.probes = new ProbeSet(ctx);
    this.firstSeen = ctx.clock.now().getTime();
  }

  get uid(): string {
    return this.pod.metadata?.uid ?? '';
  }

  /** A newer version of the pod from the informer. */
  update(pod: Pod): void {
    if (newerOrEqual(pod, this.pod)) this.pod = pod;
    this.wake();
  }

  /** The pod object is gone from the API: stop everything now. */
  markGone(): void {
    this.gone = true;
    this.wake();
  }

  private wake(): void {
    this.wakeUp?.();
  }

  /** Runs until the pod is terminated (resolves) or `signal` aborts (containers keep running). */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      this.nextWakeMs = this.ctx.syncPeriodMs;
      try {
        const gated = !this.started && !this.gone && !this.pod.metadata?.deletionTimestamp;
        const done = gated ? await this.ctx.startGate.run(() => this.sync()) : await this.sync();
        this.started ||= this.allAppContainersCreated();
        if (done) return;
      } catch (err) {
        this.ctx.log('pod sync failed', { pod: this.key, err: String((err as Error).stack ?? err) });
      }
      await new Promise<void>((resolve) => {
        const t = this.ctx.clock.setTimer(Math.max(10, this.nextWakeMs ?? this.ctx.syncPeriodMs), done);
        const onAbort = (): void => done();
        signal.addEventListener('abort', onAbort, { once: true });
        this.wakeUp = done;
        function done(): void {
          t.cancel();
          signal.removeEventListener('abort', onAbort);
          resolve();
        }
      });
      this.wakeUp = undefined;
    }
  }

  /** Every app container has an instance: the pod is past its start and no longer needs the start gate. */
  private allAppContainersCreated(): boolean {
    return (this.pod.spec?.containers ?? []).every((c) => this.instancesOf(c.name, false).length > 0);
  }

  private get key(): string {
    return `${this.pod.metadata?.namespace ?? ''}/${this.pod.metadata?.name ?? ''}`;
  }

  private wakeWithin(ms: number): void {
    this.nextWakeMs = Math.min(this.nextWakeMs ?? ms, ms);
  }

  /** One reconcile pass; true when the pod has been terminated and the worker is done. */
  private async sync(): Promise<boolean> {
    if (this.gone || this.pod.metadata?.deletionTimestamp) {
      await terminatePod(this.ctx, this.pod, [...this.instances.values()], this.gone);
      return true;
    }
    await this.refreshInstances();
    const phase = this.pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') {
      await this.releaseNetwork();
      this.wakeWithin(10_000);
      return false;
    }
    if (this.deadlinePassed()) {
      for (const st of this.instances.values()) {
        if (st.state !== 'exited') await this.ctx.runtime.stopContainer(st.id, this.pod.spec?.terminationGracePeriodSeconds ?? 30);
      }
      await this.refreshInstances();
      await this.writeStatus(true);
      return false;
    }
    if (!(await this.ensureSandbox())) {
      await this.writeStatus();
      return false;
    }
    if (await this.syncInitContainers()) await this.syncAppContainers();
    const killed = await this.probes.run(this.pod, this.runningApps(), this.sandbox?.podIP, (ms) => this.wakeWithin(ms));
    if (killed) await this.refreshInstances();
    await this.writeStatus();
    return false;
  }

  private async refreshInstances(): Promise<void> {
    for (const [id, st] of this.instances) {
      if (st.state === 'exited') continue; // final
      try {
        this.instances.set(id, await this.ctx.runtime.containerStatus(id));
      } catch {
        this.instances.delete(id);
      }
    }
  }

  /** Instances of one container, newest first. */
  private instancesOf(name: string, init: boolean): ContainerStatus[] {
    return [...this.instances.values()].filter((c) => c.containerName === name && isInit(c) === init).sort((a, b) => attemptOf(b) - attemptOf(a));
  }

  private runningApps(): Array<{ container: Container; status: ContainerStatus }> {
    const out: Array<{ container: Container; status: ContainerStatus }> = [];
    for (const c of this.pod.spec?.containers ?? []) {
      const latest = this.instancesOf(c.name, false)[0];
      if (latest?.state === 'running') out.push({ container: c, status: latest });
    }
    return out;
  }

  private networkFile(): string {
    return join(this.ctx.stateDir, `${this.uid}.json`);
  }

  /** Network, volumes and pod files; false (with the pod left Pending) when something failed. */
  private async ensureSandbox(): Promise<boolean> {
    try {
      if (!this.sandbox) {
        const t0 = performance.now();
        this.sandbox = await this.setUpNetwork();
        this.ctx.log('pod network ready', { pod: this.key, ip: this.sandbox.podIP, ms: Math.round(performance.now() - t0) });
      }
      const now = this.ctx.clock.now().getTime();
      if (now - this.volumesAt >= this.ctx.volumeRefreshMs) {
        this.sandbox.volumes = await this.ctx.volumes.setUp(this.pod, this.sandbox.podIP);
        this.volumesAt = now;
      }
      this.wakeWithin(this.ctx.volumeRefreshMs);
      return true;
    } catch (err) {
      this.ctx.log('pod sandbox set-up failed', { pod: this.key, err: String(err) });
      this.ctx.events.emit(this.pod, 'Warning', 'FailedMount', String((err as Error).message ?? err));
      this.wakeWithin(2000);
      return false;
    }
  }

  private async setUpNetwork(): Promise<PodSandbox> {
    const pod = this.pod;
    let net: { netnsPath: string; ip?: string };
    if (pod.spec?.hostNetwork) net = { netnsPath: `/proc/${process.pid}/ns/net`, ip: this.ctx.node.hostIP };
    else {
      const saved = await readFile(this.networkFile(), 'utf8').then((t) => JSON.parse(t) as { netnsPath: string; ip: string }, () => undefined);
      if (saved && existsSync(saved.netnsPath)) net = saved;
      else {
        const hostPorts = (pod.spec?.containers ?? []).flatMap((c) => (c.ports ?? []).filter((p) => p.hostPort).map((p) => ({
          hostPort: p.hostPort ?? 0, containerPort: p.containerPort, protocol: (p.protocol ?? 'TCP').toLowerCase() as 'tcp' | 'udp' | 'sctp', ...(p.hostIP ? { hostIP: p.hostIP } : {}),
        })));
        const st = await this.ctx.network.setUp({ uid: this.uid, namespace: pod.metadata?.namespace ?? '', name: pod.metadata?.name ?? '', hostPorts });
        net = { netnsPath: st.netnsPath, ip: st.ip };
        await mkdir(this.ctx.stateDir, { recursive: true });
        await writeFile(this.networkFile(), JSON.stringify(net));
      }
    }
    const dir = this.ctx.volumes.podDir(this.uid);
    await mkdir(dir, { recursive: true });
    const files: PodSandbox['files'] = {};
    if (!pod.spec?.hostNetwork) {
      files.hosts = join(dir, 'etc-hosts');
      await writeFile(files.hosts, hostsFile(pod, net.ip));
      const policy = pod.spec?.dnsPolicy ?? 'ClusterFirst';
      if (this.ctx.clusterDns?.length && (policy === 'ClusterFirst' || policy === 'None')) {
        files.resolvConf = join(dir, 'resolv.conf');
        const nameservers = policy === 'None' ? [] : this.ctx.clusterDns;
        await writeFile(files.resolvConf, resolvConf({ namespace: pod.metadata?.namespace ?? 'default', nameservers, clusterDomain: this.ctx.clusterDomain, dnsConfig: pod.spec?.dnsConfig as PodDnsConfig | undefined }));
      }
    }
    return { netnsPath: net.netnsPath, podIP: net.ip, volumes: new Map(), files };
  }

  /** A finished pod keeps its containers (for logs) but not its address, as the kubelet stops the sandbox. */
  private async releaseNetwork(): Promise<void> {
    if (this.pod.spec?.hostNetwork || !existsSync(this.networkFile())) return;
    await this.ctx.network.tearDown({ uid: this.uid });
    await rm(this.networkFile(), { force: true });
  }

  /** Runs init containers in order; true once all have succeeded. */
  private async syncInitContainers(): Promise<boolean> {
    const policy = this.pod.spec?.restartPolicy ?? 'Always';
    for (const c of this.pod.spec?.initContainers ?? []) {
      const latest = this.instancesOf(c.name, true)[0];
      if (latest?.state === 'exited' && latest.exitCode === 0) continue;
      if (latest && latest.state !== 'exited') return false;
      if (latest && policy === 'Never') return false; // the pod has failed
      await this.startOrBackOff(c, true, latest);
      return false;
    }
    return true;
  }

  private async syncAppContainers(): Promise<void> {
    const policy = this.pod.spec?.restartPolicy ?? 'Always';
    for (const c of this.pod.spec?.containers ?? []) {
      const latest = this.instancesOf(c.name, false)[0];
      if (latest?.state === 'created') await this.ctx.runtime.startContainer(latest.id).catch(() => undefined);
      if (latest && latest.state !== 'exited' && specChanged(latest, c)) {
        this.ctx.log('container spec changed, replacing it', { pod: this.key, container: c.name });
        await this.ctx.runtime.stopContainer(latest.id, this.pod.spec?.terminationGracePeriodSeconds ?? 30);
        this.instances.set(latest.id, await this.ctx.runtime.containerStatus(latest.id));
        await this.startFresh(c, latest);
        continue;
      }
      if (latest && latest.state !== 'exited') continue;
      if (latest && (policy === 'Never' || (policy === 'OnFailure' && latest.exitCode === 0))) continue;
      await this.startOrBackOff(c, false, latest);
    }
  }

  private async startOrBackOff(c: Container, init: boolean, latest: ContainerStatus | undefined): Promise<void> {
    const now = this.ctx.clock.now().getTime();
    if (latest) {
      const started = latest.startedAt ? Date.parse(latest.startedAt) : undefined;
      const finished = latest.finishedAt ? Date.parse(latest.finishedAt) : now;
      const d = this.ctx.backoff.decide(`${this.uid}/${c.name}`, now, started, finished);
      if (!d.restart) {
        const message = `back-off ${Math.round(d.backoffMs / 1000)}s restarting failed container=${c.name} pod=${this.pod.metadata?.name ?? ''}_${this.pod.metadata?.namespace ?? ''}(${this.uid})`;
        this.waiting.set(c.name, { reason: 'CrashLoopBackOff', message });
        this.ctx.events.emit(this.pod, 'Warning', 'BackOff', 'Back-off restarting failed container', c.name);
        this.wakeWithin(d.waitMs);
        return;
      }
    }
    await this.startFresh(c, latest, init);
  }

  /** Starts the next attempt of `c` now (unless a failed pull or create is still backing off). */
  private async startFresh(c: Container, latest: ContainerStatus | undefined, init = false): Promise<void> {
    const now = this.ctx.clock.now().getTime();
    const retry = this.retryAt.get(c.name);
    if (retry && now < retry.at) {
      const w = this.waiting.get(c.name);
      if (w?.reason === 'ErrImagePull') this.waiting.set(c.name, { ...w, reason: 'ImagePullBackOff' });
      this.wakeWithin(retry.at - now);
      return;
    }
    const attempt = latest ? attemptOf(latest) + 1 : 0;
    if (!this.sandbox) return;
    const t0 = performance.now();
    const res = await startContainer(this.ctx, this.pod, c, init, attempt, this.sandbox);
    if (res.ok) {
      const image = c.image ?? '';
      this.ctx.events.emit(this.pod, 'Normal', 'Pulled', res.pulled ? `Successfully pulled image "${image}"` : `Container image "${image}" already present on machine`, c.name);
      this.ctx.events.emit(this.pod, 'Normal', 'Created', `Created container ${c.name}`, c.name);
      this.ctx.events.emit(this.pod, 'Normal', 'Started', `Started container ${c.name}`, c.name);
    }
    if (res.ok) this.ctx.log('container started', { pod: this.key, container: c.name, attempt, ms: Math.round(performance.now() - t0) });
    if (!res.ok) {
      const delayMs = Math.min((retry?.delayMs ?? PULL_BACKOFF_INITIAL_MS / 2) * 2, PULL_BACKOFF_MAX_MS);
      this.retryAt.set(c.name, { at: now + delayMs, delayMs });
      this.waiting.set(c.name, { reason: res.reason, message: res.message });
      this.ctx.events.emit(this.pod, 'Warning', 'Failed', res.message, c.name);
      this.ctx.log('container start failed', { pod: this.key, container: c.name, reason: res.reason, err: res.message });
      this.wakeWithin(delayMs);
      return;
    }
    this.retryAt.delete(c.name);
    this.waiting.delete(c.name);
    this.instances.set(res.status.id, res.status);
    await this.pruneInstances(c.name, init, attempt);
  }

  /** Keeps the newest two instances of a container (the running one and the one lastState shows). */
  private async pruneInstances(name: string, init: boolean, attempt: number): Promise<void> {
    for (const old of this.instancesOf(name, init)) {
      if (attemptOf(old) > attempt - 2) continue;
      await this.ctx.runtime.removeContainer(old.id);
      await this.ctx.images.releaseRootfs(old.id);
      this.instances.delete(old.id);
    }
  }

  private view(c: Container, init: boolean): ContainerView {
    const [latest, previous] = this.instancesOf(c.name, init);
    const running = latest?.state === 'running';
    return {
      name: c.name,
      image: c.image ?? '',
      imageID: latest?.labels[LABELS.imageId],
      latest,
      previous,
      restartCount: latest ? attemptOf(latest) : 0,
      waiting: this.waiting.get(c.name),
      readinessOk: !init && running ? this.probes.ready(latest.id, c) : false,
      startupOk: !init && running ? this.probes.started(latest.id, c) : false,
    };
  }

  /** activeDeadlineSeconds counts from the pod's startTime on this node. */
  private deadlinePassed(): boolean {
    const deadline = this.pod.spec?.activeDeadlineSeconds;
    const start = this.pod.status?.startTime;
    if (deadline === undefined || !start) return false;
    const left = Date.parse(start) + deadline * 1000 - this.ctx.clock.now().getTime();
    if (left > 0) this.wakeWithin(left);
    return left <= 0;
  }

  private async writeStatus(deadlineExceeded = false): Promise<void> {
    const status = computePodStatus(this.pod, {
      init: (this.pod.spec?.initContainers ?? []).map((c) => this.view(c, true)),
      app: (this.pod.spec?.containers ?? []).map((c) => this.view(c, false)),
      podIP: this.sandbox?.podIP,
      hostIP: this.ctx.node.hostIP,
      now: this.ctx.clock.now(),
      sandboxReady: this.sandbox !== undefined,
      deadlineExceeded,
    });
    if (!statusChanged(this.pod.status, status)) return;
    const wasRunning = this.pod.status?.phase === 'Running';
    try {
      this.pod = await this.ctx.client.updateStatus<Pod>(R.pods, { ...this.pod, status });
      if (status.phase === 'Running' && !wasRunning) this.ctx.podStarted?.((this.ctx.clock.now().getTime() - this.firstSeen) / 1000);
    } catch (err) {
      if (isConflict(err)) {
        this.pod = await this.ctx.client.get<Pod>(R.pods, this.pod.metadata?.namespace, this.pod.metadata?.name ?? '');
        this.wakeWithin(10);
      } else if (isNotFound(err)) this.gone = true;
      else throw err;
    }
  }
}

/** Containers made before the hash label existed are left alone rather than restarted. */
function specChanged(st: ContainerStatus, c: Container): boolean {
  const hash = st.labels[LABELS.specHash];
  return hash !== undefined && hash !== containerHash(c);
}

/** resourceVersions are opaque, but ours are numbers; anything else is taken as newer. */
function newerOrEqual(a: Pod, b: Pod): boolean {
  const ra = a.metadata?.resourceVersion ?? '';
  const rb = b.metadata?.resourceVersion ?? '';
  if (/^\d+$/.test(ra) && /^\d+$/.test(rb)) return BigInt(ra) >= BigInt(rb);
  return true;
}

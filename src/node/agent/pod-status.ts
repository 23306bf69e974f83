/**
 * Pure computation of a pod's status from what the agent observed: container instances from the
 * runtime, waiting reasons the worker recorded, and probe results. Transition times of conditions
 * are kept from the previous status when the condition did not change.
 */
import type { ContainerState, ContainerStatus as K8sContainerStatus, Pod, PodCondition, PodStatus } from 'kubernetes-types/core/v1.js';
import type { ContainerStatus } from '../runtime/container-runtime.ts';

/** Everything known about one container of the pod spec. */
export interface ContainerView {
  name: string;
  image: string;
  imageID?: string;
  /** Newest runtime instance. */
  latest?: ContainerStatus;
  /** The instance before it (for lastState). */
  previous?: ContainerStatus;
  restartCount: number;
  /** Set by the worker when the container cannot run (yet): CrashLoopBackOff, ErrImagePull, … */
  waiting?: { reason: string; message?: string };
  /** Readiness probe result (true when there is no readiness probe). */
  readinessOk: boolean;
  /** Startup probe result (true when there is no startup probe). */
  startupOk: boolean;
}

/** Input of {@link computePodStatus}. */
export interface PodObservation {
  init: ContainerView[];
  app: ContainerView[];
  podIP?: string;
  hostIP: string;
  now: Date;
  /** The pod's sandbox (network) exists. */
  sandboxReady: boolean;
  /** activeDeadlineSeconds passed: the pod is Failed with reason DeadlineExceeded. */
  deadlineExceeded?: boolean;
}

export const rfc3339 = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
const iso = (s: string | undefined): string | undefined => (s ? rfc3339(new Date(s)) : undefined);

function terminated(c: ContainerStatus): ContainerState {
  return {
    terminated: {
      exitCode: c.exitCode ?? -1,
      reason: c.reason ?? (c.exitCode === 0 ? 'Completed' : 'Error'),
      startedAt: iso(c.startedAt),
      finishedAt: iso(c.finishedAt),
      containerID: `runc://${c.id}`,
    },
  };
}

function stateOf(v: ContainerView): ContainerState {
  const l = v.latest;
  if (v.waiting && (!l || l.state === 'exited')) return { waiting: { reason: v.waiting.reason, ...(v.waiting.message ? { message: v.waiting.message } : {}) } };
  if (!l || l.state === 'created' || l.state === 'unknown') return { waiting: { reason: 'ContainerCreating' } };
  if (l.state === 'running') return { running: { startedAt: iso(l.startedAt ?? l.createdAt) } };
  return terminated(l);
}

/** The containerStatuses entry of one container. */
export function containerStatusOf(v: ContainerView): K8sContainerStatus {
  const state = stateOf(v);
  const running = state.running !== undefined;
  // lastState: the latest instance when it is shown as waiting (restart pending), else the one before.
  const last = state.waiting && v.latest?.state === 'exited' ? v.latest : v.previous?.state === 'exited' ? v.previous : undefined;
  return {
    name: v.name,
    state,
    lastState: last ? terminated(last) : {},
    ready: running && v.startupOk && v.readinessOk,
    restartCount: v.restartCount,
    image: v.image,
    imageID: v.imageID ?? '',
    ...(v.latest ? { containerID: `runc://${v.latest.id}` } : {}),
    started: running && v.startupOk,
  };
}

/** Whether an init container finished successfully. */
const initDone = (v: ContainerView): boolean => v.latest?.state === 'exited' && v.latest.exitCode === 0;

/** The kubelet's phase rules (getPhase) for a pod with the given restart policy. */
export function podPhase(pod: Pod, obs: PodObservation): NonNullable<PodStatus['phase']> {
  const policy = pod.spec?.restartPolicy ?? 'Always';
  const initFailed = obs.init.some((v) => v.latest?.state === 'exited' && v.latest.exitCode !== 0);
  if (initFailed && policy === 'Never') return 'Failed';
  if (!obs.init.every(initDone)) return 'Pending';
  let waiting = 0, running = 0, stopped = 0, succeeded = 0;
  for (const v of obs.app) {
    const s = stateOf(v);
    if (s.running) running++;
    else if (s.terminated) {
      stopped++;
      if (s.terminated.exitCode === 0) succeeded++;
    } else if (v.latest?.state === 'exited' || v.previous?.state === 'exited') stopped++; // restarting: counts as having run
    else waiting++;
  }
  if (waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped === 0) return 'Pending';
  if (policy === 'Always') return 'Running';
  if (policy === 'OnFailure') return succeeded === stopped ? 'Succeeded' : 'Running';
  return succeeded === stopped ? 'Succeeded' : 'Failed';
}

function condition(type: string, ok: boolean, now: Date, old: PodCondition[] | undefined, reason?: string): PodCondition {
  const status = ok ? 'True' : 'False';
  const prev = old?.find((c) => c.type === type);
  const lastTransitionTime = prev && prev.status === status ? prev.lastTransitionTime : rfc3339(now);
  return { type, status, lastTransitionTime, ...(!ok && reason ? { reason } : {}) };
}

/** The full status the agent writes; fields it does not own (qosClass, nominatedNodeName…) are kept. */
export function computePodStatus(pod: Pod, obs: PodObservation): PodStatus {
  const old = pod.status ?? {};
  const phase = obs.deadlineExceeded ? 'Failed' : podPhase(pod, obs);
  const initStatuses = obs.init.map(containerStatusOf);
  const appStatuses = obs.app.map(containerStatusOf);
  const terminal = phase === 'Succeeded' || phase === 'Failed';
  const initialized = obs.init.every(initDone) || (terminal && obs.app.some((v) => v.latest));
  const containersReady = !terminal && appStatuses.every((s) => s.ready);
  const notReadyReason = terminal ? 'PodCompleted' : 'ContainersNotReady';
  const conds = old.conditions;
  const conditions: PodCondition[] = [
    condition('PodReadyToStartContainers', obs.sandboxReady, obs.now, conds),
    condition('Initialized', initialized, obs.now, conds, 'ContainersNotInitialized'),
    condition('Ready', containersReady, obs.now, conds, notReadyReason),
    condition('ContainersReady', containersReady, obs.now, conds, notReadyReason),
    condition('PodScheduled', true, obs.now, conds),
  ];
  const status: PodStatus = {
    ...old,
    phase,
    conditions,
    hostIP: obs.hostIP,
    hostIPs: [{ ip: obs.hostIP }],
    startTime: old.startTime ?? rfc3339(obs.now),
    containerStatuses: appStatuses,
  };
  if (obs.podIP) {
    status.podIP = obs.podIP;
    status.podIPs = [{ ip: obs.podIP }];
  }
  if (initStatuses.length) status.initContainerStatuses = initStatuses;
  else delete status.initContainerStatuses;
  delete status.reason;
  delete status.message;
  if (obs.deadlineExceeded) {
    status.reason = 'DeadlineExceeded';
    status.message = `Pod was active on the node longer than the specified deadline`;
  }
  return status;
}

/** JSON with sorted keys and without null/undefined/empty-object members, for comparing statuses. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== null && x !== undefined && !(typeof x === 'object' && !Array.isArray(x) && Object.keys(x).length === 0))
      .sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** Whether two statuses differ semantically (so unchanged pods cause no writes). */
export function statusChanged(a: PodStatus | undefined, b: PodStatus): boolean {
  return canonical(a ?? {}) !== canonical(b);
}

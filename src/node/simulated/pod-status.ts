import type { ContainerStatus, Pod, PodCondition, PodStatus } from 'kubernetes-types/core/v1.js';
import { rfc3339 } from './node-template.ts';

/** Annotation a test sets to make a simulated run-to-completion pod exit with this code. */
export const EXIT_CODE_ANNOTATION = 'sim.minato.io/exit-code';

const containerId = (pod: Pod, name: string) => `simulated://${pod.metadata?.uid ?? ''}-${name}`;

function conditions(pod: Pod, ready: boolean, now: string, readyReason?: string): PodCondition[] {
  const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled')?.lastTransitionTime ?? now;
  const c = (type: string, status: boolean, reason?: string): PodCondition => ({ type, status: status ? 'True' : 'False', lastProbeTime: null as unknown as string, lastTransitionTime: now, ...(reason ? { reason } : {}) });
  return [
    c('PodReadyToStartContainers', true),
    c('Initialized', true),
    c('Ready', ready, readyReason),
    c('ContainersReady', ready, readyReason),
    { type: 'PodScheduled', status: 'True', lastProbeTime: null as unknown as string, lastTransitionTime: scheduled },
  ];
}

function initStatuses(pod: Pod, now: string): ContainerStatus[] | undefined {
  const init = pod.spec?.initContainers;
  if (!init?.length) return undefined;
  return init.map((c) => ({
    name: c.name,
    image: c.image ?? '',
    imageID: `${c.image ?? ''}@sha256:simulated`,
    containerID: containerId(pod, c.name),
    ready: c.restartPolicy === 'Always',
    restartCount: 0,
    started: c.restartPolicy === 'Always',
    state: c.restartPolicy === 'Always' ? { running: { startedAt: now } } : { terminated: { exitCode: 0, reason: 'Completed', startedAt: now, finishedAt: now, containerID: containerId(pod, c.name) } },
  }));
}

/** What a kubelet reports once every container started: Running and Ready. */
export function runningStatus(pod: Pod, addr: { hostIP: string; podIP: string }, now: Date): PodStatus {
  const t = rfc3339(now);
  const restarts = new Map((pod.status?.containerStatuses ?? []).map((s) => [s.name, s.restartCount]));
  return {
    phase: 'Running',
    conditions: conditions(pod, true, t),
    hostIP: addr.hostIP,
    hostIPs: [{ ip: addr.hostIP }],
    podIP: addr.podIP,
    podIPs: [{ ip: addr.podIP }],
    startTime: pod.status?.startTime ?? t,
    qosClass: pod.status?.qosClass,
    initContainerStatuses: initStatuses(pod, t),
    containerStatuses: (pod.spec?.containers ?? []).map((c) => ({
      name: c.name,
      image: c.image ?? '',
      imageID: `${c.image ?? ''}@sha256:simulated`,
      containerID: containerId(pod, c.name),
      ready: true,
      started: true,
      restartCount: restarts.get(c.name) ?? 0,
      state: { running: { startedAt: t } },
    })),
  };
}

/** The pod's containers ended with `exitCode`: Succeeded for 0, Failed otherwise (restartPolicy Never). */
export function finishedStatus(pod: Pod, exitCode: number, now: Date): PodStatus {
  const t = rfc3339(now);
  const running = pod.status ?? {};
  return {
    ...running,
    phase: exitCode === 0 ? 'Succeeded' : 'Failed',
    conditions: conditions(pod, false, t, 'PodCompleted'),
    containerStatuses: (running.containerStatuses ?? []).map((s) => ({
      ...s,
      ready: false,
      started: false,
      state: { terminated: { exitCode, reason: exitCode === 0 ? 'Completed' : 'Error', startedAt: s.state?.running?.startedAt ?? t, finishedAt: t, containerID: s.containerID } },
    })),
  };
}

/** restartPolicy OnFailure after a failed run: the kubelet restarts the containers in place. */
export function restartedStatus(pod: Pod, exitCode: number, now: Date): PodStatus {
  const t = rfc3339(now);
  const running = pod.status ?? {};
  return {
    ...running,
    containerStatuses: (running.containerStatuses ?? []).map((s) => ({
      ...s,
      restartCount: s.restartCount + 1,
      lastState: { terminated: { exitCode, reason: 'Error', startedAt: s.state?.running?.startedAt ?? t, finishedAt: t, containerID: s.containerID } },
      state: { running: { startedAt: t } },
    })),
  };
}

/** The exit code a simulated run ends with (the annotation, else 0). */
export function simulatedExitCode(pod: Pod): number {
  const raw = pod.metadata?.annotations?.[EXIT_CODE_ANNOTATION];
  const n = raw === undefined ? 0 : Number.parseInt(raw, 10);
  return Number.isNaN(n) ? 1 : n;
}

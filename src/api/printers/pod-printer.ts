import type { Container, ContainerStatus, Pod, PodCondition } from 'kubernetes-types/core/v1.js';
import type { TablePrinter } from '../resource-definition.ts';
import { ageColumn, column, nameColumn, wideColumn } from './columns.ts';
import { ageOf, asKind, nameOf } from './format.ts';
import { humanDuration, parseTimestamp } from './human-duration.ts';

/** Pod status reason the node lifecycle controller sets on pods of an unreachable node. */
const NODE_UNREACHABLE_REASON = 'NodeLost';

/** Running totals while walking container statuses; a zero time is -Infinity. */
interface Tally {
  reason: string;
  ready: number;
  restarts: number;
  lastRestart: number;
}

function isRestartableInit(container: Container | undefined): boolean {
  return container?.restartPolicy === 'Always';
}

function conditionTrue(conditions: PodCondition[] | undefined, type: string): boolean {
  return (conditions ?? []).some((c) => c.type === type && c.status === 'True');
}

function lastTerminationTime(status: ContainerStatus): number {
  const finished = status.lastState?.terminated?.finishedAt;
  return finished === undefined ? -Infinity : (parseTimestamp(finished) ?? -Infinity);
}

function baseReason(pod: Pod): string {
  let reason = pod.status?.reason || (pod.status?.phase ?? '');
  if ((pod.status?.conditions ?? []).some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')) {
    reason = 'SchedulingGated';
  }
  return reason;
}

/** The `Init:…` status of an init container that has not finished successfully. */
function initReason(status: ContainerStatus, index: number, total: number): string {
  const terminated = status.state?.terminated;
  if (terminated) {
    if (terminated.reason) return `Init:${terminated.reason}`;
    return terminated.signal ? `Init:Signal:${terminated.signal}` : `Init:ExitCode:${terminated.exitCode}`;
  }
  const waiting = status.state?.waiting?.reason;
  if (waiting && waiting !== 'PodInitializing') return `Init:${waiting}`;
  return `Init:${index}/${total}`;
}

/** Walks init containers as upstream does; returns whether the pod is still initializing. */
function tallyInitContainers(pod: Pod, tally: Tally, sidecar: Tally): boolean {
  const initContainers = pod.spec?.initContainers ?? [];
  const specs = new Map(initContainers.map((c) => [c.name, c]));
  const statuses = pod.status?.initContainerStatuses ?? [];
  for (const [i, status] of statuses.entries()) {
    const finished = lastTerminationTime(status);
    tally.restarts += status.restartCount ?? 0;
    tally.lastRestart = Math.max(tally.lastRestart, finished);
    const restartable = isRestartableInit(specs.get(status.name));
    if (restartable) {
      sidecar.restarts += status.restartCount ?? 0;
      sidecar.lastRestart = Math.max(sidecar.lastRestart, finished);
    }
    if (status.state?.terminated && status.state.terminated.exitCode === 0) continue;
    if (restartable && status.started === true) {
      if (status.ready) tally.ready++;
      continue;
    }
    tally.reason = initReason(status, i, initContainers.length);
    return true;
  }
  return false;
}

function tallyContainers(pod: Pod, tally: Tally): void {
  let hasRunning = false;
  const statuses = pod.status?.containerStatuses ?? [];
  for (let i = statuses.length - 1; i >= 0; i--) {
    const status = statuses[i] as ContainerStatus;
    tally.restarts += status.restartCount ?? 0;
    tally.lastRestart = Math.max(tally.lastRestart, lastTerminationTime(status));
    const { waiting, terminated, running } = status.state ?? {};
    if (waiting?.reason) tally.reason = waiting.reason;
    else if (terminated?.reason) tally.reason = terminated.reason;
    else if (terminated) tally.reason = terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode}`;
    else if (status.ready && running) {
      hasRunning = true;
      tally.ready++;
    }
  }
  // A pod whose last container completed but another still runs is reported by readiness.
  if (tally.reason === 'Completed' && hasRunning) {
    tally.reason = conditionTrue(pod.status?.conditions, 'Ready') ? 'Running' : 'NotReady';
  }
}

function finalReason(pod: Pod, reason: string): string {
  if (pod.metadata?.deletionTimestamp === undefined) return reason;
  if (pod.status?.reason === NODE_UNREACHABLE_REASON) return 'Unknown';
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed' ? reason : 'Terminating';
}

function readinessGates(pod: Pod): string {
  const gates = pod.spec?.readinessGates ?? [];
  if (gates.length === 0) return '<none>';
  const conditions = pod.status?.conditions ?? [];
  const passed = gates.filter((g) => conditions.find((c) => c.type === g.conditionType)?.status === 'True').length;
  return `${passed}/${gates.length}`;
}

function podCells(pod: Pod, now: Date): unknown[] {
  const total = (pod.spec?.containers ?? []).length + (pod.spec?.initContainers ?? []).filter(isRestartableInit).length;
  const tally: Tally = { reason: baseReason(pod), ready: 0, restarts: 0, lastRestart: -Infinity };
  const sidecar: Tally = { reason: '', ready: 0, restarts: 0, lastRestart: -Infinity };
  const initializing = tallyInitContainers(pod, tally, sidecar);
  if (!initializing || conditionTrue(pod.status?.conditions, 'Initialized')) {
    tally.restarts = sidecar.restarts;
    tally.lastRestart = sidecar.lastRestart;
    tallyContainers(pod, tally);
  }
  const restarts =
    tally.restarts !== 0 && Number.isFinite(tally.lastRestart)
      ? `${tally.restarts} (${humanDuration(now.getTime() - tally.lastRestart)} ago)`
      : String(tally.restarts);
  const ip = pod.status?.podIPs?.[0]?.ip || pod.status?.podIP || '<none>';
  return [
    nameOf(pod),
    `${tally.ready}/${total}`,
    finalReason(pod, tally.reason),
    restarts,
    ageOf(pod, now),
    ip,
    pod.spec?.nodeName || '<none>',
    pod.status?.nominatedNodeName || '<none>',
    readinessGates(pod),
  ];
}

/** Pods: NAME READY STATUS RESTARTS AGE, wide IP NODE NOMINATED NODE READINESS GATES. */
export const podPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Ready', 'The aggregate readiness state of this pod for accepting traffic.'),
    column('Status', 'The aggregate status of the containers in this pod.'),
    column('Restarts', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
    ageColumn(),
    wideColumn('IP', 'podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.'),
    wideColumn('Node', 'NodeName indicates in which node this pod is scheduled.'),
    wideColumn('Nominated Node', 'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods.'),
    wideColumn('Readiness Gates', 'If specified, all readiness gates will be evaluated for pod readiness.'),
  ],
  cells: (obj, now) => podCells(asKind<Pod>(obj), now),
};

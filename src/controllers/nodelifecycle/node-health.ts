import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type { Node, NodeCondition, Taint } from 'kubernetes-types/core/v1.js';

export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';
const HEALTH_TAINTS = new Set([TAINT_NOT_READY, TAINT_UNREACHABLE]);
/** The conditions a kubelet posts; the controller marks them all Unknown when it goes silent. */
const KUBELET_CONDITIONS = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];

const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const parse = (t: string | undefined) => (t ? Date.parse(t) || 0 : 0);

/** The last sign of life: the Lease's renewTime, the Ready heartbeat, or (never heard of) creation. */
export function lastHeartbeatMs(node: Node, lease: Lease | undefined): number {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  return Math.max(parse(lease?.spec?.renewTime), parse(ready?.lastHeartbeatTime), parse(node.metadata?.creationTimestamp));
}

/** The kubelet conditions set to Unknown (NodeStatusUnknown), or undefined when they already are. */
export function unknownConditions(node: Node, nowMs: number): NodeCondition[] | undefined {
  const current = node.status?.conditions ?? [];
  if (current.find((c) => c.type === 'Ready')?.status === 'Unknown') return undefined;
  const now = rfc3339(nowMs);
  const byType = new Map(current.map((c) => [c.type, c]));
  for (const type of KUBELET_CONDITIONS) {
    const old = byType.get(type);
    byType.set(type, {
      type,
      status: 'Unknown',
      reason: 'NodeStatusUnknown',
      message: old ? 'Kubelet stopped posting node status.' : 'Kubelet never posted node status.',
      lastHeartbeatTime: old?.lastHeartbeatTime ?? now,
      lastTransitionTime: now,
    });
  }
  return [...byType.values()];
}

/** The health taint key Ready implies: not-ready for False, unreachable for Unknown, none for True. */
export function healthTaintKey(conditions: NodeCondition[] | undefined): string | undefined {
  const ready = conditions?.find((c) => c.type === 'Ready');
  if (!ready || ready.status === 'Unknown') return TAINT_UNREACHABLE;
  return ready.status === 'False' ? TAINT_NOT_READY : undefined;
}

/**
 * The node's taints with the health taints made to match `key` (NoSchedule and NoExecute), other
 * taints untouched; undefined when nothing changes.
 */
export function reconcileHealthTaints(taints: readonly Taint[] | undefined, key: string | undefined, nowMs: number): Taint[] | undefined {
  const current = taints ?? [];
  const kept = current.filter((t) => !HEALTH_TAINTS.has(t.key) || t.key === key);
  const next = [...kept];
  if (key) {
    if (!kept.some((t) => t.key === key && t.effect === 'NoSchedule')) next.push({ key, effect: 'NoSchedule', timeAdded: rfc3339(nowMs) });
    if (!kept.some((t) => t.key === key && t.effect === 'NoExecute')) next.push({ key, effect: 'NoExecute', timeAdded: rfc3339(nowMs) });
  }
  return next.length === current.length && kept.length === current.length ? undefined : next;
}

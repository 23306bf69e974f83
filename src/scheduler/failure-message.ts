import type { Status } from './framework/status.ts';

/** `3 Insufficient cpu, 1 node(s) were unschedulable`: reasons counted and sorted, as upstream prints them. */
export function countReasons(reasons: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([r, n]) => `${n} ${r}`)
    .join(', ');
}

/**
 * The FailedScheduling message: `0/3 nodes are available: 3 Insufficient cpu. preemption: …`.
 * A PreFilter rejection applies to every node and is printed once, without counts.
 */
export function fitErrorMessage(nodeCount: number, perNode: ReadonlyMap<string, Status>, preFilter: Status | undefined, postFilterMessage: string | undefined): string {
  let msg: string;
  if (nodeCount === 0) msg = '0/0 nodes are available: no nodes available to schedule pods.';
  else if (preFilter) msg = `0/${nodeCount} nodes are available: ${preFilter.reasons.join(', ')}.`;
  else {
    const reasons: string[] = [];
    for (const s of perNode.values()) reasons.push(...s.reasons);
    msg = `0/${nodeCount} nodes are available: ${countReasons(reasons)}.`;
  }
  return postFilterMessage ? `${msg} preemption: ${postFilterMessage}` : msg;
}

import type { Pod, Taint } from 'kubernetes-types/core/v1.js';
import { toleratesTaint } from '../../scheduler/helpers/tolerations.ts';

/** When a pod must leave a node with NoExecute taints: now, at a time, or never. */
export type EvictionDecision = { kind: 'now' } | { kind: 'at'; atMs: number } | { kind: 'never' };

/**
 * Upstream's NoExecute taint manager rule: a taint the pod does not tolerate evicts it at once;
 * otherwise it stays for the smallest tolerationSeconds among the tolerations used, counted from
 * when the taint was added (no tolerationSeconds: forever).
 */
export function evictionDecision(pod: Pod, taints: readonly Taint[]): EvictionDecision {
  const noExecute = taints.filter((t) => t.effect === 'NoExecute');
  if (noExecute.length === 0) return { kind: 'never' };
  let earliest = Infinity;
  for (const taint of noExecute) {
    const used = (pod.spec?.tolerations ?? []).filter((t) => toleratesTaint(t, taint));
    if (used.length === 0) return { kind: 'now' };
    const added = taint.timeAdded ? Date.parse(taint.timeAdded) : 0;
    for (const t of used) {
      if (t.tolerationSeconds === undefined || t.tolerationSeconds === null) continue;
      earliest = Math.min(earliest, added + Math.max(0, t.tolerationSeconds) * 1000);
    }
  }
  return earliest === Infinity ? { kind: 'never' } : { kind: 'at', atMs: earliest };
}

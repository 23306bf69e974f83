import type { Taint, Toleration } from 'kubernetes-types/core/v1.js';

/**
 * Whether a toleration tolerates a taint (upstream `Toleration.ToleratesTaint`): the effect must
 * match unless the toleration names none; `Exists` with no key tolerates everything.
 */
export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  const op = t.operator ?? 'Equal';
  if (op === 'Exists') return true;
  return op === 'Equal' && (t.value ?? '') === (taint.value ?? '');
}

/** The first taint (among those passing `filter`) no toleration tolerates. */
export function findUntoleratedTaint(taints: readonly Taint[] | undefined, tolerations: readonly Toleration[] | undefined, filter: (t: Taint) => boolean): Taint | undefined {
  for (const taint of taints ?? []) {
    if (!filter(taint)) continue;
    if (!(tolerations ?? []).some((tol) => toleratesTaint(tol, taint))) return taint;
  }
  return undefined;
}

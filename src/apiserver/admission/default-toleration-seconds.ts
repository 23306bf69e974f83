import type { ResourceDefinition } from '../../api/resource-definition.ts';
import type { KubeObject } from '../../api/types.ts';

/** How long pods stay on a not-ready or unreachable node before eviction, unless they say otherwise (upstream default). */
export const DEFAULT_TOLERATION_SECONDS = 300;

const TAINT_KEYS = ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'];

interface TolerationLike {
  key?: string;
  operator?: string;
  effect?: string;
  tolerationSeconds?: number;
}

/** Upstream's test: a toleration with no key and Exists, or this key, for NoExecute (or any effect). */
function toleratesKeyNoExecute(t: TolerationLike, key: string): boolean {
  const keyMatches = t.key === key || (!t.key && t.operator === 'Exists');
  return keyMatches && (!t.effect || t.effect === 'NoExecute');
}

/**
 * DefaultTolerationSeconds admission: pods get NoExecute tolerations for the not-ready and
 * unreachable taints with tolerationSeconds 300, unless they already tolerate those taints, so a
 * lost node's pods are evicted after five minutes rather than at once.
 */
export function admitDefaultTolerationSeconds(r: ResourceDefinition, obj: KubeObject): void {
  if (r.group !== '' || r.kind !== 'Pod') return;
  const spec = (obj.spec ??= {}) as { tolerations?: TolerationLike[] };
  const tolerations = spec.tolerations ?? [];
  for (const key of TAINT_KEYS) {
    if (tolerations.some((t) => toleratesKeyNoExecute(t, key))) continue;
    tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: DEFAULT_TOLERATION_SECONDS });
  }
  spec.tolerations = tolerations;
}

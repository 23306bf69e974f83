import type { Pod } from 'kubernetes-types/core/v1.js';

/** The Ready condition's status is True. */
export function isPodReady(pod: Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** When the pod last became Ready (ms), or undefined when it is not Ready. */
export function podReadySince(pod: Pod): number | undefined {
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'True');
  if (!ready) return undefined;
  return ready.lastTransitionTime ? Date.parse(ready.lastTransitionTime) : 0;
}

/**
 * Ready for at least `minReadySeconds` (upstream's IsPodAvailable). A pod without a transition
 * time counts as ready since forever.
 */
export function isPodAvailable(pod: Pod, minReadySeconds: number, now: Date): boolean {
  const since = podReadySince(pod);
  if (since === undefined) return false;
  return minReadySeconds <= 0 || since + minReadySeconds * 1000 <= now.getTime();
}

/**
 * How long until some Ready-but-not-yet-available pod becomes available, so a controller can come
 * back exactly then; undefined when nothing is waiting.
 */
export function nextAvailableInMs(pods: Pod[], minReadySeconds: number, now: Date): number | undefined {
  if (minReadySeconds <= 0) return undefined;
  let next: number | undefined;
  for (const p of pods) {
    const since = podReadySince(p);
    if (since === undefined) continue;
    const wait = since + minReadySeconds * 1000 - now.getTime();
    if (wait > 0 && (next === undefined || wait < next)) next = wait;
  }
  return next === undefined ? undefined : next + 10;
}

/** Not finished (Succeeded/Failed) and not being deleted: counts toward a controller's replicas. */
export function isPodActive(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata?.deletionTimestamp;
}

export function isPodTerminating(pod: Pod): boolean {
  return Boolean(pod.metadata?.deletionTimestamp);
}

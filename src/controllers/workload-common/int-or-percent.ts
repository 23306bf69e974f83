/**
 * Resolves an int-or-percent field against a total (upstream's GetScaledValueFromIntOrPercent):
 * percentages round up or down as asked; plain ints are taken as they are.
 */
export function scaledValue(value: number | string | undefined, total: number, roundUp: boolean, fallback = 0): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number') return value;
  const m = /^(\d+)%$/.exec(value.trim());
  if (!m) {
    const n = Number(value);
    if (Number.isInteger(n)) return n;
    throw new Error(`invalid value for IntOrString: invalid value "${value}"`);
  }
  const exact = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/**
 * maxSurge (rounded up) and maxUnavailable (rounded down) for `desired` replicas; both zero would
 * deadlock a rollout, so maxUnavailable becomes 1 then (as upstream's ResolveFenceposts).
 */
export function resolveFenceposts(maxSurge: number | string | undefined, maxUnavailable: number | string | undefined, desired: number): { surge: number; unavailable: number } {
  const surge = scaledValue(maxSurge, desired, true);
  let unavailable = scaledValue(maxUnavailable, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

import type { Pod, ResourceQuota } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../types.ts';
import { compareQuantities, formatQuantity, type Quantity } from '../quantity.ts';
import { quotaSelects } from './quota-scopes.ts';
import { addInto, CONTAINER_CONSTRAINED, containerResources, containerUsage, objectUsage, quotaNameApplies, type QuotaResource, type Usage } from './resource-usage.ts';

const ZERO: Quantity = { nanos: 0n, format: 'DecimalSI' };

/** The names in `hard` that objects of `r` consume. */
export function applicableNames(hard: Usage, r: QuotaResource): string[] {
  return [...hard.keys()].filter((name) => quotaNameApplies(r, name));
}

/** What the objects of `r` that `quota` selects use of each of `names` (zero when none). */
export function usageOf(quota: ResourceQuota, r: QuotaResource, objects: KubeObject[], names: string[], now: Date): Usage {
  const total: Usage = new Map(names.map((n) => [n, ZERO]));
  for (const obj of objects) {
    if (!quotaSelects(quota, r, obj)) continue;
    const u = objectUsage(r, obj, now);
    addInto(total, new Map(names.filter((n) => u.has(n)).map((n) => [n, u.get(n) as Quantity])));
  }
  return total;
}

/** The names whose `used + requested` exceeds `hard`. */
export function exceededNames(hard: Usage, used: Usage, requested: Usage): string[] {
  const out: string[] = [];
  for (const [name, q] of requested) {
    const limit = hard.get(name);
    if (!limit || q.nanos <= 0n) continue;
    const total = (used.get(name)?.nanos ?? 0n) + q.nanos;
    if (compareQuantities({ nanos: total, format: q.format }, limit) > 0) out.push(name);
  }
  return out.sort();
}

/** `pods=1,requests.cpu=500m`: upstream's prettyPrint of a masked ResourceList. */
export function prettyPrint(u: Usage, names: string[]): string {
  return [...names].sort().map((n) => `${n}=${formatQuantity(u.get(n) ?? ZERO)}`).join(',');
}

/**
 * Upstream's pod Constraints: when a quota limits cpu or memory, every container must state the
 * matching request or limit. Returns `must specify …` or undefined.
 */
export function missingContainerResources(pod: Pod, hardNames: string[]): string | undefined {
  const required = hardNames.filter((n) => CONTAINER_CONSTRAINED.has(n));
  if (required.length === 0) return undefined;
  const missing = new Map<string, Set<string>>();
  for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
    const stated = containerUsage(containerResources(c, 'requests'), containerResources(c, 'limits'));
    for (const name of required) {
      if (stated.has(name)) continue;
      const set = missing.get(name) ?? new Set<string>();
      set.add(c.name);
      missing.set(name, set);
    }
  }
  if (missing.size === 0) return undefined;
  const parts = [...missing.keys()].sort().map((name) => `${name} for: ${[...(missing.get(name) ?? [])].sort().join(',')}`);
  return `must specify ${parts.join('; ')}`;
}

import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { milliValue, parseQuantity, quantityToNumber } from '../../api/quantity.ts';

/**
 * Amounts of resources by name: `cpu` in millicores, everything else (memory, ephemeral-storage,
 * pods, extended resources) in whole units.
 */
export type ResourceAmounts = Record<string, number>;

/** Requests the scheduler assumes for a container asking for nothing, so spreading still works (upstream defaults). */
const NON_ZERO_DEFAULTS: ResourceAmounts = { cpu: 100, memory: 200 * 1024 * 1024 };

/** Parses a ResourceList (`{cpu: '500m', memory: '1Gi'}`) into amounts. */
export function parseResourceList(list: Record<string, string | number> | undefined): ResourceAmounts {
  const out: ResourceAmounts = {};
  for (const [name, value] of Object.entries(list ?? {})) {
    const q = parseQuantity(value);
    out[name] = name === 'cpu' ? milliValue(q) : Math.ceil(quantityToNumber(q));
  }
  return out;
}

function addInto(target: ResourceAmounts, add: ResourceAmounts): void {
  for (const [k, v] of Object.entries(add)) target[k] = (target[k] ?? 0) + v;
}

function maxInto(target: ResourceAmounts, other: ResourceAmounts): void {
  for (const [k, v] of Object.entries(other)) target[k] = Math.max(target[k] ?? 0, v);
}

function containerRequests(c: Container, nonZero: boolean): ResourceAmounts {
  const req = parseResourceList(c.resources?.requests as Record<string, string> | undefined);
  if (nonZero) for (const [k, v] of Object.entries(NON_ZERO_DEFAULTS)) if (!req[k]) req[k] = v;
  return req;
}

/**
 * A pod's effective requests, as upstream computes them: the sum over app containers (plus
 * restartable "sidecar" init containers), at least the largest single init container, plus
 * overhead. With `nonZero`, empty cpu/memory requests count as the scoring defaults.
 */
export function podRequests(pod: Pod, nonZero = false): ResourceAmounts {
  const sum: ResourceAmounts = {};
  for (const c of pod.spec?.containers ?? []) addInto(sum, containerRequests(c, nonZero));
  const initMax: ResourceAmounts = {};
  const sidecars: ResourceAmounts = {};
  for (const c of pod.spec?.initContainers ?? []) {
    const req = containerRequests(c, nonZero);
    if (c.restartPolicy === 'Always') {
      addInto(sidecars, req);
      continue;
    }
    const withSidecars = { ...req };
    addInto(withSidecars, sidecars);
    maxInto(initMax, withSidecars);
  }
  addInto(sum, sidecars);
  maxInto(sum, initMax);
  addInto(sum, parseResourceList(pod.spec?.overhead as Record<string, string> | undefined));
  return sum;
}

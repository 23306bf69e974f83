/** policy/v1 PodDisruptionBudget and Eviction, scheduling.k8s.io/v1 PriorityClass. */
import {
  bool, int32, int64, intOrString, message, msg, msgs, ptr, str, timeMap,
} from '../schema.ts';
import { condition, deleteOptions, labelSelector, objectMeta } from './meta.ts';

export const podDisruptionBudgetSpec = message('policy/v1 PodDisruptionBudgetSpec', {
  1: ptr(intOrString('minAvailable')),
  2: ptr(msg('selector', () => labelSelector)),
  3: ptr(intOrString('maxUnavailable')),
  4: ptr(str('unhealthyPodEvictionPolicy')),
});

export const podDisruptionBudgetStatus = message('policy/v1 PodDisruptionBudgetStatus', {
  1: int64('observedGeneration'),
  2: timeMap('disruptedPods'),
  3: int32('disruptionsAllowed'),
  4: int32('currentHealthy'),
  5: int32('desiredHealthy'),
  6: int32('expectedPods'),
  7: msgs('conditions', () => condition),
});

export const podDisruptionBudget = message('policy/v1 PodDisruptionBudget', {
  1: msg('metadata', () => objectMeta),
  2: msg('spec', () => podDisruptionBudgetSpec),
  3: msg('status', () => podDisruptionBudgetStatus),
});

export const eviction = message('policy/v1 Eviction', {
  1: msg('metadata', () => objectMeta),
  2: ptr(msg('deleteOptions', () => deleteOptions)),
});

export const priorityClass = message('scheduling/v1 PriorityClass', {
  1: msg('metadata', () => objectMeta),
  // `value` has no omitempty in Go: 0 is a real priority and must survive.
  2: ptr(int32('value')),
  3: bool('globalDefault'),
  4: str('description'),
  5: ptr(str('preemptionPolicy')),
});


import assert from 'node:assert/strict';
import { test } from 'node:test';
import { horizontalPodAutoscalerPrinter, podDisruptionBudgetPrinter } from './policy-printers.ts';
import { NOW, cellMap, dur, headers, object } from './test-builders.ts';

test('pdb: MIN AVAILABLE / MAX UNAVAILABLE as int-or-string, N/A when unset', () => {
  assert.deepEqual(headers(podDisruptionBudgetPrinter).normal, ['NAME', 'MIN AVAILABLE', 'MAX UNAVAILABLE', 'ALLOWED DISRUPTIONS', 'AGE']);
  const pdb = object('policy/v1', 'PodDisruptionBudget', 'web', dur({ m: 3 }), { spec: { minAvailable: 2 }, status: { disruptionsAllowed: 1 } });
  assert.deepEqual(podDisruptionBudgetPrinter.cells(pdb, NOW), ['web', '2', 'N/A', 1, '3m']);
  const pct = object('policy/v1', 'PodDisruptionBudget', 'db', 0, { spec: { maxUnavailable: '25%' } });
  assert.deepEqual(podDisruptionBudgetPrinter.cells(pct, NOW).slice(1, 4), ['N/A', '25%', 0]);
});

const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };
const cpu = (target: Record<string, unknown>) => ({ type: 'Resource', resource: { name: 'cpu', target } });

test('hpa v2 TARGETS for resource, pods, object and external metrics', () => {
  assert.deepEqual(headers(horizontalPodAutoscalerPrinter).normal, ['NAME', 'REFERENCE', 'TARGETS', 'MINPODS', 'MAXPODS', 'REPLICAS', 'AGE']);
  const hpa = object('autoscaling/v2', 'HorizontalPodAutoscaler', 'web', dur({ m: 7 }), {
    spec: { scaleTargetRef: ref, minReplicas: 2, maxReplicas: 10, metrics: [cpu({ type: 'Utilization', averageUtilization: 80 })] },
    status: { currentReplicas: 3, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 50, averageValue: '120m' } } }] },
  });
  assert.deepEqual(horizontalPodAutoscalerPrinter.cells(hpa, NOW), ['web', 'Deployment/web', 'cpu: 50%/80%', '2', 10, 3, '7m']);
  const targets = (metrics: unknown[], currentMetrics: unknown[] = []) =>
    cellMap(horizontalPodAutoscalerPrinter, object('autoscaling/v2', 'HorizontalPodAutoscaler', 'h', 0, { spec: { scaleTargetRef: ref, maxReplicas: 3, metrics }, status: { currentMetrics } })).Targets;
  assert.equal(targets([cpu({ type: 'Utilization', averageUtilization: 80 })]), 'cpu: <unknown>/80%');
  assert.equal(targets([]), '<none>');
  assert.equal(targets([{ type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '512Mi' } } }]), 'memory: <unknown>/512Mi');
  const pods = { type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '10' } } };
  assert.equal(targets([pods], [{ type: 'Pods', pods: { metric: { name: 'qps' }, current: { averageValue: '7' } } }]), '7/10');
  const external = { type: 'External', external: { metric: { name: 'queue' }, target: { type: 'Value', value: '30' } } };
  const object_ = { type: 'Object', object: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '2' } } };
  assert.equal(targets([external, object_, cpu({ type: 'Utilization' })]), '<unknown>/30, <unknown>/2 (avg) + 1 more...');
});

test('hpa v1 shows its CPU percentage the way the server converts it', () => {
  const hpa = object('autoscaling/v1', 'HorizontalPodAutoscaler', 'web', dur({ m: 1 }), {
    spec: { scaleTargetRef: ref, maxReplicas: 5, targetCPUUtilizationPercentage: 80 },
    status: { currentReplicas: 1, currentCPUUtilizationPercentage: 12 },
  });
  assert.deepEqual(horizontalPodAutoscalerPrinter.cells(hpa, NOW), ['web', 'Deployment/web', 'cpu: 12%/80%', '<unset>', 5, 1, '60s']);
});

import type { HPAScalingRules, HorizontalPodAutoscaler } from 'kubernetes-types/autoscaling/v2.js';
import type { KubeObject } from '../types.ts';

/** Scale-up rules upstream fills in when `behavior` is given: no window, 4 pods or 100% per 15 s. */
function defaultScaleUp(rules: HPAScalingRules): void {
  rules.stabilizationWindowSeconds ??= 0;
  rules.selectPolicy ??= 'Max';
  rules.policies ??= [
    { type: 'Pods', value: 4, periodSeconds: 15 },
    { type: 'Percent', value: 100, periodSeconds: 15 },
  ];
}

/** Scale-down rules: a 300 s window, 100% per 15 s. */
function defaultScaleDown(rules: HPAScalingRules): void {
  rules.stabilizationWindowSeconds ??= 300;
  rules.selectPolicy ??= 'Max';
  rules.policies ??= [{ type: 'Percent', value: 100, periodSeconds: 15 }];
}

/**
 * HorizontalPodAutoscaler: minReplicas 1; at autoscaling/v2 also an 80% CPU metric when none is
 * given and scale-up/down rules when `behavior` is set (v1 objects are told apart by `apiVersion`).
 */
export function defaultHorizontalPodAutoscaler(obj: KubeObject): void {
  const spec = ((obj as HorizontalPodAutoscaler).spec ??= {} as NonNullable<HorizontalPodAutoscaler['spec']>);
  spec.minReplicas ??= 1;
  if (obj.apiVersion === 'autoscaling/v1') return;
  if (!spec.metrics || spec.metrics.length === 0) {
    spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
  }
  if (!spec.behavior) return;
  defaultScaleUp((spec.behavior.scaleUp ??= {}));
  defaultScaleDown((spec.behavior.scaleDown ??= {}));
}

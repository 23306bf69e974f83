/** autoscaling/v1 and v2 HorizontalPodAutoscaler (`kubectl autoscale`), certificates.k8s.io/v1 CSR. */
import {
  bytes, int32, int64, message, msg, msgs, ptr, quantity, str, stringListMap, strs, time,
} from '../schema.ts';
import { labelSelector, objectMeta } from './meta.ts';

export const crossVersionObjectReference = message('autoscaling CrossVersionObjectReference', {
  1: str('kind'),
  2: str('name'),
  3: str('apiVersion'),
});

export const horizontalPodAutoscalerV1 = message('autoscaling/v1 HorizontalPodAutoscaler', {
  1: msg('metadata', () => objectMeta),
  2: msg('spec', () => message('autoscaling/v1 HorizontalPodAutoscalerSpec', {
    1: msg('scaleTargetRef', () => crossVersionObjectReference),
    2: ptr(int32('minReplicas')),
    3: int32('maxReplicas'),
    4: ptr(int32('targetCPUUtilizationPercentage')),
  })),
  3: msg('status', () => message('autoscaling/v1 HorizontalPodAutoscalerStatus', {
    1: ptr(int64('observedGeneration')),
    2: ptr(time('lastScaleTime')),
    3: int32('currentReplicas'),
    4: int32('desiredReplicas'),
    5: ptr(int32('currentCPUUtilizationPercentage')),
  })),
});

export const metricTarget = message('autoscaling/v2 MetricTarget', {
  1: str('type'),
  2: ptr(quantity('value')),
  3: ptr(quantity('averageValue')),
  4: ptr(int32('averageUtilization')),
});

export const metricIdentifier = message('autoscaling/v2 MetricIdentifier', {
  1: str('name'),
  2: ptr(msg('selector', () => labelSelector)),
});

export const metricSpec = message('autoscaling/v2 MetricSpec', {
  1: str('type'),
  2: ptr(msg('object', () => message('autoscaling/v2 ObjectMetricSource', {
    1: msg('describedObject', () => crossVersionObjectReference),
    2: msg('target', () => metricTarget),
    3: msg('metric', () => metricIdentifier),
  }))),
  3: ptr(msg('pods', () => message('autoscaling/v2 PodsMetricSource', {
    1: msg('metric', () => metricIdentifier),
    2: msg('target', () => metricTarget),
  }))),
  4: ptr(msg('resource', () => message('autoscaling/v2 ResourceMetricSource', {
    1: str('name'),
    2: msg('target', () => metricTarget),
  }))),
  7: ptr(msg('containerResource', () => message('autoscaling/v2 ContainerResourceMetricSource', {
    1: str('name'),
    2: msg('target', () => metricTarget),
    3: str('container'),
  }))),
  5: ptr(msg('external', () => message('autoscaling/v2 ExternalMetricSource', {
    1: msg('metric', () => metricIdentifier),
    2: msg('target', () => metricTarget),
  }))),
});

export const hpaScalingRules = message('autoscaling/v2 HPAScalingRules', {
  3: ptr(int32('stabilizationWindowSeconds')),
  1: ptr(str('selectPolicy')),
  2: msgs('policies', () => message('autoscaling/v2 HPAScalingPolicy', {
    1: str('type'),
    2: int32('value'),
    3: int32('periodSeconds'),
  })),
  4: ptr(quantity('tolerance')),
});

export const horizontalPodAutoscalerV2 = message('autoscaling/v2 HorizontalPodAutoscaler', {
  1: msg('metadata', () => objectMeta),
  2: msg('spec', () => message('autoscaling/v2 HorizontalPodAutoscalerSpec', {
    1: msg('scaleTargetRef', () => crossVersionObjectReference),
    2: ptr(int32('minReplicas')),
    3: int32('maxReplicas'),
    4: msgs('metrics', () => metricSpec),
    5: ptr(msg('behavior', () => message('autoscaling/v2 HorizontalPodAutoscalerBehavior', {
      1: ptr(msg('scaleUp', () => hpaScalingRules)),
      2: ptr(msg('scaleDown', () => hpaScalingRules)),
    }))),
  })),
  // Clients create HPAs with an empty status; its metric details are not described.
  3: msg('status', () => message('autoscaling/v2 HorizontalPodAutoscalerStatus', {
    1: ptr(int64('observedGeneration')),
    2: ptr(time('lastScaleTime')),
    3: int32('currentReplicas'),
    4: int32('desiredReplicas'),
  })),
});

export const certificateSigningRequestCondition = message('certificates/v1 CertificateSigningRequestCondition', {
  1: str('type'),
  6: str('status'),
  2: str('reason'),
  3: str('message'),
  4: time('lastUpdateTime'),
  5: time('lastTransitionTime'),
});

export const certificateSigningRequest = message('certificates/v1 CertificateSigningRequest', {
  1: msg('metadata', () => objectMeta),
  2: msg('spec', () => message('certificates/v1 CertificateSigningRequestSpec', {
    1: bytes('request'),
    7: str('signerName'),
    8: ptr(int32('expirationSeconds')),
    5: strs('usages'),
    2: str('username'),
    3: str('uid'),
    4: strs('groups'),
    6: stringListMap('extra'),
  })),
  3: msg('status', () => message('certificates/v1 CertificateSigningRequestStatus', {
    1: msgs('conditions', () => certificateSigningRequestCondition),
    2: bytes('certificate'),
  })),
});

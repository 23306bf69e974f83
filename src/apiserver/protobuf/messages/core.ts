/** core/v1 top-level kinds other than Pod (k8s.io.api.core.v1). */
import {
  bool, bytesMap, int32, intOrString, message, msg, msgs, ptr, quantityMap, str, stringMap, strs, time,
} from '../schema.ts';
import { localObjectReference, objectReference } from './core-refs.ts';
import { condition, objectMeta } from './meta.ts';

export const namespaceCondition = message('core/v1 NamespaceCondition', {
  1: str('type'),
  2: str('status'),
  4: time('lastTransitionTime'),
  5: str('reason'),
  6: str('message'),
});

export const namespace = message('core/v1 Namespace', {
  1: msg('metadata', () => objectMeta),
  2: msg('spec', () => message('core/v1 NamespaceSpec', { 1: strs('finalizers') })),
  3: msg('status', () => message('core/v1 NamespaceStatus', {
    1: str('phase'),
    2: msgs('conditions', () => namespaceCondition),
  })),
});

export const configMap = message('core/v1 ConfigMap', {
  1: msg('metadata', () => objectMeta),
  4: ptr(bool('immutable')),
  2: stringMap('data'),
  3: bytesMap('binaryData'),
});

export const secret = message('core/v1 Secret', {
  1: msg('metadata', () => objectMeta),
  5: ptr(bool('immutable')),
  2: bytesMap('data'),
  4: stringMap('stringData'),
  3: str('type'),
});

export const serviceAccount = message('core/v1 ServiceAccount', {
  1: msg('metadata', () => objectMeta),
  2: msgs('secrets', () => objectReference),
  3: msgs('imagePullSecrets', () => localObjectReference),
  4: ptr(bool('automountServiceAccountToken')),
});

export const servicePort = message('core/v1 ServicePort', {
  1: str('name'),
  2: str('protocol'),
  6: ptr(str('appProtocol')),
  3: int32('port'),
  4: intOrString('targetPort'),
  5: int32('nodePort'),
});

export const sessionAffinityConfig = message('core/v1 SessionAffinityConfig', {
  1: ptr(msg('clientIP', () => message('core/v1 ClientIPConfig', { 1: ptr(int32('timeoutSeconds')) }))),
});

export const serviceSpec = message('core/v1 ServiceSpec', {
  1: msgs('ports', () => servicePort),
  2: stringMap('selector'),
  3: str('clusterIP'),
  18: strs('clusterIPs'),
  4: str('type'),
  5: strs('externalIPs'),
  7: str('sessionAffinity'),
  8: str('loadBalancerIP'),
  9: strs('loadBalancerSourceRanges'),
  10: str('externalName'),
  11: str('externalTrafficPolicy'),
  12: int32('healthCheckNodePort'),
  13: bool('publishNotReadyAddresses'),
  14: ptr(msg('sessionAffinityConfig', () => sessionAffinityConfig)),
  19: strs('ipFamilies'),
  17: ptr(str('ipFamilyPolicy')),
  20: ptr(bool('allocateLoadBalancerNodePorts')),
  21: ptr(str('loadBalancerClass')),
  22: ptr(str('internalTrafficPolicy')),
  23: ptr(str('trafficDistribution')),
});

export const portStatus = message('core/v1 PortStatus', {
  1: int32('port'),
  2: str('protocol'),
  3: ptr(str('error')),
});

export const loadBalancerIngress = message('core/v1 LoadBalancerIngress', {
  1: str('ip'),
  2: str('hostname'),
  3: ptr(str('ipMode')),
  4: msgs('ports', () => portStatus),
});

export const service = message('core/v1 Service', {
  1: msg('metadata', () => objectMeta),
  2: msg('spec', () => serviceSpec),
  3: msg('status', () => message('core/v1 ServiceStatus', {
    1: msg('loadBalancer', () => message('core/v1 LoadBalancerStatus', {
      1: msgs('ingress', () => loadBalancerIngress),
    })),
    2: msgs('conditions', () => condition),
  })),
});

export const scopedResourceSelectorRequirement = message('core/v1 ScopedResourceSelectorRequirement', {
  1: str('scopeName'),
  2: str('operator'),
  3: strs('values'),
});

export const resourceQuota = message('core/v1 ResourceQuota', {
  1: msg('metadata', () => objectMeta),
  2: msg('spec', () => message('core/v1 ResourceQuotaSpec', {
    1: quantityMap('hard'),
    2: strs('scopes'),
    3: ptr(msg('scopeSelector', () => message('core/v1 ScopeSelector', {
      1: msgs('matchExpressions', () => scopedResourceSelectorRequirement),
    }))),
  })),
  3: msg('status', () => message('core/v1 ResourceQuotaStatus', {
    1: quantityMap('hard'),
    2: quantityMap('used'),
  })),
});

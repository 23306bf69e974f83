/** networking.k8s.io/v1 Ingress (k8s.io.api.networking.v1). */
import { inline, int32, message, msg, msgs, ptr, str, strs } from '../schema.ts';
import { typedLocalObjectReference } from './core-refs.ts';
import { objectMeta } from './meta.ts';

export const serviceBackendPort = message('networking/v1 ServiceBackendPort', {
  1: str('name'),
  2: int32('number'),
});

export const ingressServiceBackend = message('networking/v1 IngressServiceBackend', {
  1: str('name'),
  2: msg('port', () => serviceBackendPort),
});

export const ingressBackend = message('networking/v1 IngressBackend', {
  4: ptr(msg('service', () => ingressServiceBackend)),
  3: ptr(msg('resource', () => typedLocalObjectReference)),
});

export const httpIngressPath = message('networking/v1 HTTPIngressPath', {
  1: str('path'),
  3: ptr(str('pathType')),
  2: msg('backend', () => ingressBackend),
});

export const ingressRuleValue = message('networking/v1 IngressRuleValue', {
  1: ptr(msg('http', () => message('networking/v1 HTTPIngressRuleValue', {
    1: msgs('paths', () => httpIngressPath),
  }))),
});

export const ingressRule = message('networking/v1 IngressRule', {
  1: str('host'),
  2: inline(() => ingressRuleValue),
});

export const ingressTLS = message('networking/v1 IngressTLS', {
  1: strs('hosts'),
  2: str('secretName'),
});

export const ingressSpec = message('networking/v1 IngressSpec', {
  4: ptr(str('ingressClassName')),
  1: ptr(msg('defaultBackend', () => ingressBackend)),
  2: msgs('tls', () => ingressTLS),
  3: msgs('rules', () => ingressRule),
});

export const ingressLoadBalancerIngress = message('networking/v1 IngressLoadBalancerIngress', {
  1: str('ip'),
  2: str('hostname'),
  4: msgs('ports', () => message('networking/v1 IngressPortStatus', {
    1: int32('port'),
    2: str('protocol'),
    3: ptr(str('error')),
  })),
});

export const ingress = message('networking/v1 Ingress', {
  1: msg('metadata', () => objectMeta),
  2: msg('spec', () => ingressSpec),
  3: msg('status', () => message('networking/v1 IngressStatus', {
    1: msg('loadBalancer', () => message('networking/v1 IngressLoadBalancerStatus', {
      1: msgs('ingress', () => ingressLoadBalancerIngress),
    })),
  })),
});

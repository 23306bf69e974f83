import type { NetworkPolicy } from 'kubernetes-types/networking/v1.js';
import type { KubeObject } from '../types.ts';

/** NetworkPolicy: policyTypes Ingress (plus Egress when egress rules exist), port protocol TCP. */
export function defaultNetworkPolicy(obj: KubeObject): void {
  const spec = ((obj as NetworkPolicy).spec ??= { podSelector: {} });
  if (!spec.policyTypes || spec.policyTypes.length === 0) {
    spec.policyTypes = (spec.egress ?? []).length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
  }
  for (const rule of [...(spec.ingress ?? []), ...(spec.egress ?? [])]) {
    for (const port of rule.ports ?? []) port.protocol ??= 'TCP';
  }
}

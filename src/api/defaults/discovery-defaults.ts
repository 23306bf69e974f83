import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import type { KubeObject } from '../types.ts';

/** EndpointSlice: port name `""` and protocol TCP. */
export function defaultEndpointSlice(obj: KubeObject): void {
  for (const port of (obj as unknown as EndpointSlice).ports ?? []) {
    port.name ??= '';
    port.protocol ??= 'TCP';
  }
}

import type { ResourceDefinition } from '../../api/resource-definition.ts';
import type { KubeObject } from '../../api/types.ts';

/** Pods run as the namespace's `default` ServiceAccount unless they name one (upstream ServiceAccount admission). */
export function admitServiceAccount(r: ResourceDefinition, obj: KubeObject): void {
  if (r.group !== '' || r.kind !== 'Pod') return;
  const spec = (obj.spec ??= {}) as Record<string, unknown>;
  spec.serviceAccountName ??= (spec.serviceAccount as string | undefined) ?? 'default';
  spec.serviceAccount = spec.serviceAccountName;
}

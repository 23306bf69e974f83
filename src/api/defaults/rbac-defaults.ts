import type { RoleBinding } from 'kubernetes-types/rbac/v1.js';
import type { KubeObject } from '../types.ts';

const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** Role and cluster-role bindings: roleRef apiGroup, subject apiGroups (`""` for ServiceAccount). */
export function defaultBinding(obj: KubeObject): void {
  const binding = obj as unknown as RoleBinding;
  if (binding.roleRef && !binding.roleRef.apiGroup) binding.roleRef.apiGroup = RBAC_GROUP;
  for (const subject of binding.subjects ?? []) {
    if (subject.apiGroup) continue;
    if (subject.kind === 'ServiceAccount') subject.apiGroup = '';
    else if (subject.kind === 'User' || subject.kind === 'Group') subject.apiGroup = RBAC_GROUP;
  }
}

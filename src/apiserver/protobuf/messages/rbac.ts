/** rbac.authorization.k8s.io/v1 kinds (k8s.io.api.rbac.v1). */
import { message, msg, msgs, ptr, str, strs } from '../schema.ts';
import { labelSelector, objectMeta } from './meta.ts';

export const policyRule = message('rbac/v1 PolicyRule', {
  1: strs('verbs'),
  2: strs('apiGroups'),
  3: strs('resources'),
  4: strs('resourceNames'),
  5: strs('nonResourceURLs'),
});

export const subject = message('rbac/v1 Subject', {
  1: str('kind'),
  2: str('apiGroup'),
  3: str('name'),
  4: str('namespace'),
});

export const roleRef = message('rbac/v1 RoleRef', {
  1: str('apiGroup'),
  2: str('kind'),
  3: str('name'),
});

export const role = message('rbac/v1 Role', {
  1: msg('metadata', () => objectMeta),
  2: msgs('rules', () => policyRule),
});

export const clusterRole = message('rbac/v1 ClusterRole', {
  1: msg('metadata', () => objectMeta),
  2: msgs('rules', () => policyRule),
  3: ptr(msg('aggregationRule', () => message('rbac/v1 AggregationRule', {
    1: msgs('clusterRoleSelectors', () => labelSelector),
  }))),
});

const bindingFields = {
  1: msg('metadata', () => objectMeta),
  2: msgs('subjects', () => subject),
  3: msg('roleRef', () => roleRef),
};

export const roleBinding = message('rbac/v1 RoleBinding', bindingFields);
export const clusterRoleBinding = message('rbac/v1 ClusterRoleBinding', bindingFields);

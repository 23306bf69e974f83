/**
 * authentication.k8s.io/v1 TokenRequest and SelfSubjectReview, authorization.k8s.io/v1
 * SelfSubjectAccessReview: the "ask the server" kinds behind `create token`, `auth whoami`, `auth can-i`.
 */
import {
  bool, int64, message, msg, msgs, ptr, str, stringListMap, strs, time,
} from '../schema.ts';
import { fieldSelectorRequirement, labelSelectorRequirement, objectMeta } from './meta.ts';

export const boundObjectReference = message('authentication/v1 BoundObjectReference', {
  1: str('kind'),
  2: str('apiVersion'),
  3: str('name'),
  4: str('uid'),
});

export const tokenRequest = message('authentication/v1 TokenRequest', {
  1: msg('metadata', () => objectMeta),
  2: msg('spec', () => message('authentication/v1 TokenRequestSpec', {
    1: strs('audiences'),
    4: ptr(int64('expirationSeconds')),
    3: ptr(msg('boundObjectRef', () => boundObjectReference)),
  })),
  3: msg('status', () => message('authentication/v1 TokenRequestStatus', {
    1: str('token'),
    2: time('expirationTimestamp'),
  })),
});

export const userInfo = message('authentication/v1 UserInfo', {
  1: str('username'),
  2: str('uid'),
  3: strs('groups'),
  4: stringListMap('extra'),
});

export const selfSubjectReview = message('authentication/v1 SelfSubjectReview', {
  1: msg('metadata', () => objectMeta),
  2: msg('status', () => message('authentication/v1 SelfSubjectReviewStatus', {
    1: msg('userInfo', () => userInfo),
  })),
});

export const resourceAttributes = message('authorization/v1 ResourceAttributes', {
  1: str('namespace'),
  2: str('verb'),
  3: str('group'),
  4: str('version'),
  5: str('resource'),
  6: str('subresource'),
  7: str('name'),
  8: ptr(msg('fieldSelector', () => message('authorization/v1 FieldSelectorAttributes', {
    1: str('rawSelector'),
    2: msgs('requirements', () => fieldSelectorRequirement),
  }))),
  9: ptr(msg('labelSelector', () => message('authorization/v1 LabelSelectorAttributes', {
    1: str('rawSelector'),
    2: msgs('requirements', () => labelSelectorRequirement),
  }))),
});

export const subjectAccessReviewStatus = message('authorization/v1 SubjectAccessReviewStatus', {
  1: bool('allowed'),
  4: bool('denied'),
  2: str('reason'),
  3: str('evaluationError'),
});

export const selfSubjectAccessReview = message('authorization/v1 SelfSubjectAccessReview', {
  1: msg('metadata', () => objectMeta),
  2: msg('spec', () => message('authorization/v1 SelfSubjectAccessReviewSpec', {
    1: ptr(msg('resourceAttributes', () => resourceAttributes)),
    2: ptr(msg('nonResourceAttributes', () => message('authorization/v1 NonResourceAttributes', {
      1: str('path'),
      2: str('verb'),
    }))),
  })),
  3: msg('status', () => subjectAccessReviewStatus),
});

export const selfSubjectRulesReview = message('authorization/v1 SelfSubjectRulesReview', {
  1: msg('metadata', () => objectMeta),
  2: msg('spec', () => message('authorization/v1 SelfSubjectRulesReviewSpec', { 1: str('namespace') })),
  3: msg('status', () => message('authorization/v1 SubjectRulesReviewStatus', {
    1: msgs('resourceRules', () => message('authorization/v1 ResourceRule', {
      1: strs('verbs'),
      2: strs('apiGroups'),
      3: strs('resources'),
      4: strs('resourceNames'),
    })),
    2: msgs('nonResourceRules', () => message('authorization/v1 NonResourceRule', {
      1: strs('verbs'),
      2: strs('nonResourceURLs'),
    })),
    3: bool('incomplete'),
    4: str('evaluationError'),
  })),
});

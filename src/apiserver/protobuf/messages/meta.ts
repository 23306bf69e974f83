/** meta/v1 messages shared by every kind (k8s.io.apimachinery.pkg.apis.meta.v1). */
import {
  bool, fieldsV1, int64, message, msg, msgs, ptr, str, stringMap, strs, time,
} from '../schema.ts';

export const ownerReference = message('meta/v1 OwnerReference', {
  5: str('apiVersion'),
  1: str('kind'),
  3: str('name'),
  4: str('uid'),
  6: ptr(bool('controller')),
  7: ptr(bool('blockOwnerDeletion')),
});

export const managedFieldsEntry = message('meta/v1 ManagedFieldsEntry', {
  1: str('manager'),
  2: str('operation'),
  3: str('apiVersion'),
  4: ptr(time('time')),
  6: str('fieldsType'),
  7: ptr(fieldsV1('fieldsV1')),
  8: str('subresource'),
});

export const objectMeta = message('meta/v1 ObjectMeta', {
  1: str('name'),
  2: str('generateName'),
  3: str('namespace'),
  4: str('selfLink'),
  5: str('uid'),
  6: str('resourceVersion'),
  7: int64('generation'),
  8: time('creationTimestamp'),
  9: ptr(time('deletionTimestamp')),
  10: ptr(int64('deletionGracePeriodSeconds')),
  11: stringMap('labels'),
  12: stringMap('annotations'),
  13: msgs('ownerReferences', () => ownerReference),
  14: strs('finalizers'),
  17: msgs('managedFields', () => managedFieldsEntry),
});

export const labelSelectorRequirement = message('meta/v1 LabelSelectorRequirement', {
  1: str('key'),
  2: str('operator'),
  3: strs('values'),
});

export const labelSelector = message('meta/v1 LabelSelector', {
  1: stringMap('matchLabels'),
  2: msgs('matchExpressions', () => labelSelectorRequirement),
});

export const fieldSelectorRequirement = message('meta/v1 FieldSelectorRequirement', {
  1: str('key'),
  2: str('operator'),
  3: strs('values'),
});

/** meta/v1 Condition, the common status condition shape. */
export const condition = message('meta/v1 Condition', {
  1: str('type'),
  2: str('status'),
  3: int64('observedGeneration'),
  4: time('lastTransitionTime'),
  5: str('reason'),
  6: str('message'),
});

export const preconditions = message('meta/v1 Preconditions', {
  1: ptr(str('uid')),
  2: ptr(str('resourceVersion')),
});

export const deleteOptions = message('meta/v1 DeleteOptions', {
  1: ptr(int64('gracePeriodSeconds')),
  2: ptr(msg('preconditions', () => preconditions)),
  3: ptr(bool('orphanDependents')),
  4: ptr(str('propagationPolicy')),
  5: strs('dryRun'),
  6: ptr(bool('ignoreStoreReadErrorWithClusterBreakingPotential')),
});

/** core/v1 object references (k8s.io.api.core.v1). */
import { message, ptr, str } from '../schema.ts';

export const localObjectReference = message('core/v1 LocalObjectReference', { 1: str('name') });

export const objectReference = message('core/v1 ObjectReference', {
  1: str('kind'),
  2: str('namespace'),
  3: str('name'),
  4: str('uid'),
  5: str('apiVersion'),
  6: str('resourceVersion'),
  7: str('fieldPath'),
});

export const typedLocalObjectReference = message('core/v1 TypedLocalObjectReference', {
  1: ptr(str('apiGroup')),
  2: str('kind'),
  3: str('name'),
});

export const typedObjectReference = message('core/v1 TypedObjectReference', {
  1: ptr(str('apiGroup')),
  2: str('kind'),
  3: str('name'),
  4: ptr(str('namespace')),
});

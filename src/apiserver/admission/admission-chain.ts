import type { ResourceDefinition } from '../../api/resource-definition.ts';
import type { KubeObject } from '../../api/types.ts';
import type { ApiContext } from '../api-context.ts';
import type { WriteOptions } from '../handlers/write-options.ts';
import { admitDefaultStorageClass } from './default-storage-class.ts';
import { admitDefaultTolerationSeconds } from './default-toleration-seconds.ts';
import { admitLimitRange } from './limit-range.ts';
import { admitNamespaceLifecycle } from './namespace-lifecycle.ts';
import { admitPriority } from './priority.ts';
import { admitResourceQuota } from './resource-quota.ts';
import { admitServiceAccount } from './service-account.ts';
import { admitServiceAddresses } from './service-addresses.ts';

/** Admission plugins run in order after defaulting and validation, as kube-apiserver's chain does. */
export async function admitCreate(ctx: ApiContext, r: ResourceDefinition, obj: KubeObject, opts: WriteOptions): Promise<void> {
  await admitNamespaceLifecycle(ctx, r, obj);
  await admitLimitRange(ctx, r, obj);
  admitServiceAccount(r, obj);
  admitDefaultTolerationSeconds(r, obj);
  await admitPriority(ctx, r, obj);
  await admitDefaultStorageClass(ctx, r, obj);
  await admitServiceAddresses(ctx, r, obj, undefined, opts);
  // Quota runs last, on the object as every other plugin left it (a validating plugin upstream).
  await admitResourceQuota(ctx, r, obj, undefined, opts);
}

export async function admitUpdate(ctx: ApiContext, r: ResourceDefinition, obj: KubeObject, old: KubeObject, opts: WriteOptions): Promise<void> {
  await admitServiceAddresses(ctx, r, obj, old, opts);
  await admitResourceQuota(ctx, r, obj, old, opts);
}

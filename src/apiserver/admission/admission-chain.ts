import type { ResourceDefinition } from '../../api/resource-definition.ts';
import type { KubeObject } from '../../api/types.ts';
import type { ApiContext } from '../api-context.ts';
import type { WriteOptions } from '../handlers/write-options.ts';
import { admitNamespaceLifecycle } from './namespace-lifecycle.ts';
import { admitServiceAccount } from './service-account.ts';
import { admitServiceAddresses } from './service-addresses.ts';

/** Admission plugins run in order after defaulting and validation, as kube-apiserver's chain does. */
export async function admitCreate(ctx: ApiContext, r: ResourceDefinition, obj: KubeObject, opts: WriteOptions): Promise<void> {
  await admitNamespaceLifecycle(ctx, r, obj);
  admitServiceAccount(r, obj);
  await admitServiceAddresses(ctx, r, obj, undefined, opts);
}

export async function admitUpdate(ctx: ApiContext, r: ResourceDefinition, obj: KubeObject, old: KubeObject, opts: WriteOptions): Promise<void> {
  await admitServiceAddresses(ctx, r, obj, old, opts);
}

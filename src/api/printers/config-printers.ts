import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type { ConfigMap, Namespace, ResourceQuota, Secret, ServiceAccount } from 'kubernetes-types/core/v1.js';
import type { TablePrinter } from '../resource-definition.ts';
import { ageColumn, column, nameColumn } from './columns.ts';
import { ageOf, asKind, nameOf, quantityString } from './format.ts';

/** ConfigMaps: NAME DATA AGE (DATA counts `data` and `binaryData` keys). */
export const configMapPrinter: TablePrinter = {
  columns: [nameColumn(), column('Data', 'Data contains the configuration data.'), ageColumn()],
  cells(obj, now) {
    const cm = asKind<ConfigMap>(obj);
    return [nameOf(cm), Object.keys(cm.data ?? {}).length + Object.keys(cm.binaryData ?? {}).length, ageOf(cm, now)];
  },
};

/** Secrets: NAME TYPE DATA AGE. */
export const secretPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Type', 'Used to facilitate programmatic handling of secret data.'),
    column('Data', 'Data contains the secret data.'),
    ageColumn(),
  ],
  cells(obj, now) {
    const secret = asKind<Secret>(obj);
    // stringData is merged into data on write; count the union in case it was stored unmerged.
    const keys = new Set([...Object.keys(secret.data ?? {}), ...Object.keys(secret.stringData ?? {})]);
    return [nameOf(secret), secret.type ?? '', keys.size, ageOf(secret, now)];
  },
};

/** ServiceAccounts: NAME SECRETS AGE. */
export const serviceAccountPrinter: TablePrinter = {
  columns: [nameColumn(), column('Secrets', 'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.'), ageColumn()],
  cells(obj, now) {
    const sa = asKind<ServiceAccount>(obj);
    return [nameOf(sa), (sa.secrets ?? []).length, ageOf(sa, now)];
  },
};

/** Namespaces: NAME STATUS AGE. */
export const namespacePrinter: TablePrinter = {
  columns: [nameColumn(), column('Status', 'The status of the namespace'), ageColumn()],
  cells(obj, now) {
    const ns = asKind<Namespace>(obj);
    return [nameOf(ns), ns.status?.phase ?? '', ageOf(ns, now)];
  },
};

/** Leases: NAME HOLDER AGE. */
export const leasePrinter: TablePrinter = {
  columns: [nameColumn(), column('Holder', 'holderIdentity contains the identity of the holder of a current lease.'), ageColumn()],
  cells(obj, now) {
    const lease = asKind<Lease>(obj);
    return [nameOf(lease), lease.spec?.holderIdentity ?? '', ageOf(lease, now)];
  },
};

/** `name: used/hard` pairs, split into request and `limits.*` columns, sorted by resource name. */
function quotaColumns(quota: ResourceQuota): [string, string] {
  const hard = quota.status?.hard ?? {};
  const used = quota.status?.used ?? {};
  const requests: string[] = [];
  const limits: string[] = [];
  for (const resource of Object.keys(hard).sort()) {
    const pieces = resource.split('.');
    const target = pieces.length > 1 && pieces[0] === 'limits' ? limits : requests;
    target.push(`${resource}: ${quantityString(used[resource])}/${quantityString(hard[resource])}`);
  }
  return [requests.join(', '), limits.join(', ')];
}

/** ResourceQuotas: NAME REQUEST LIMIT AGE. */
export const resourceQuotaPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Request', 'Request represents a minimum amount of cpu/memory that a container may consume.'),
    column('Limit', 'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.'),
    ageColumn(),
  ],
  cells(obj, now) {
    const quota = asKind<ResourceQuota>(obj);
    const [requests, limits] = quotaColumns(quota);
    return [nameOf(quota), requests, limits, ageOf(quota, now)];
  },
};

import type { ManagedFieldsEntry } from 'kubernetes-types/meta/v1.js';
import type { JsonSchema, SchemaSet } from '../schema/types.ts';
import type { KubeObject } from '../types.ts';
import { difference, fromFieldsV1, pathKey, toFieldsV1, union, type FieldSet } from './field-set.ts';
import { fieldValuesOf, type FieldValue } from './field-values.ts';
import { cloneJson, jsonEqual } from './json-value.ts';

/** One manager's ownership: the entry's identity fields plus its field set. */
export interface ManagerFields {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time?: string;
  subresource?: string;
  set: Set<string>;
}

/** Managers keyed by identity (manager, operation, subresource, and apiVersion for Update). */
export type ManagerTable = Map<string, ManagerFields>;

/**
 * Paths never tracked (apimachinery stripmeta): type meta and server-owned metadata. Only these
 * exact paths are dropped; `metadata.managedFields` is removed from objects before walking.
 */
const ignoredPaths: FieldSet = new Set(
  [['f:apiVersion'], ['f:kind'], ['f:metadata'], ...['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'clusterName', 'generation', 'managedFields', 'resourceVersion'].map((f) => ['f:metadata', `f:${f}`])].map(pathKey),
);

export function withoutIgnored(set: FieldSet): Set<string> {
  return difference(set, ignoredPaths);
}

/** Identity as upstream builds it: Apply entries ignore apiVersion so re-applies stay one entry. */
export function managerIdentity(entry: Pick<ManagerFields, 'manager' | 'operation' | 'apiVersion' | 'subresource'>): string {
  const apiVersion = entry.operation === 'Apply' ? '' : entry.apiVersion;
  return JSON.stringify([entry.manager, entry.operation, apiVersion, entry.subresource ?? '']);
}

/** Reads `metadata.managedFields`; malformed entries are skipped. */
export function decodeManagedFields(obj: KubeObject | undefined): ManagerTable {
  const table: ManagerTable = new Map();
  for (const entry of obj?.metadata?.managedFields ?? []) {
    if (typeof entry.manager !== 'string' || (entry.operation !== 'Apply' && entry.operation !== 'Update')) continue;
    const fields: ManagerFields = {
      manager: entry.manager,
      operation: entry.operation,
      apiVersion: entry.apiVersion ?? '',
      set: fromFieldsV1(entry.fieldsV1),
      ...(entry.time === undefined ? {} : { time: entry.time }),
      ...(entry.subresource === undefined || entry.subresource === '' ? {} : { subresource: entry.subresource }),
    };
    table.set(managerIdentity(fields), fields);
  }
  return table;
}

/** Writes the table in upstream order (operation, time, manager, apiVersion, subresource); empty sets are dropped. */
export function encodeManagedFields(table: ManagerTable): ManagedFieldsEntry[] {
  const entries = [...table.values()].filter((fields) => fields.set.size > 0);
  entries.sort((a, b) => compareBy(a.operation, b.operation) || compareBy(seconds(a.time), seconds(b.time)) || compareBy(a.manager, b.manager) || compareBy(a.apiVersion, b.apiVersion) || compareBy(a.subresource ?? '', b.subresource ?? ''));
  return entries.map((fields) => ({
    manager: fields.manager,
    operation: fields.operation,
    apiVersion: fields.apiVersion,
    ...(fields.time === undefined ? {} : { time: fields.time }),
    fieldsType: 'FieldsV1',
    fieldsV1: toFieldsV1(fields.set),
    ...(fields.subresource === undefined ? {} : { subresource: fields.subresource }),
  }));
}

function compareBy<T extends string | number>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function seconds(time: string | undefined): number {
  const ms = time === undefined ? NaN : Date.parse(time);
  return Number.isNaN(ms) ? 0 : Math.floor(ms / 1000);
}

/** A deep copy of `obj` without `metadata.managedFields`, as field sets are computed on it. */
export function withoutManagedFields(obj: KubeObject | undefined): KubeObject {
  const copy = cloneJson(obj ?? {});
  if (copy.metadata !== undefined) delete copy.metadata.managedFields;
  return copy;
}

/** Paths added or changed (leaves compared by value) and paths removed between two objects. */
export function compareFieldValues(before: Map<string, FieldValue>, after: Map<string, FieldValue>): { changed: Set<string>; removed: Set<string> } {
  const changed = new Set<string>();
  for (const [key, now] of after) {
    const then = before.get(key);
    if (then === undefined || (now.leaf && !jsonEqual(then.value, now.value))) changed.add(key);
  }
  const removed = new Set([...before.keys()].filter((key) => !after.has(key)));
  return { changed, removed };
}

/** Options for {@link recordUpdate}. */
export interface RecordUpdateOptions {
  old: KubeObject | undefined;
  updated: KubeObject;
  manager: string;
  apiVersion: string;
  schema: JsonSchema;
  schemas: SchemaSet;
  /** RFC 3339 time stamped on the manager's entry when it gains fields. */
  now: string;
  subresource?: string;
}

/**
 * Records a create/update/patch in `metadata.managedFields` (returns a new object): fields that
 * changed (all set fields on create) move to `manager`'s `Update` entry and leave every other
 * manager; removed fields leave everyone; managers left with nothing are dropped.
 * `updated.metadata.managedFields`, when present, is the starting table (`[]` resets it).
 */
export function recordUpdate(opts: RecordUpdateOptions): KubeObject {
  const table = decodeManagedFields(opts.updated.metadata?.managedFields !== undefined ? opts.updated : opts.old);
  const before = fieldValuesOf(withoutManagedFields(opts.old), opts.schema, opts.schemas);
  const result = withoutManagedFields(opts.updated);
  const after = fieldValuesOf(result, opts.schema, opts.schemas);
  const { changed, removed } = compareFieldValues(before, after);
  const owned = withoutIgnored(changed);
  const self = { manager: opts.manager, operation: 'Update' as const, apiVersion: opts.apiVersion, ...(opts.subresource === undefined ? {} : { subresource: opts.subresource }) };
  const selfId = managerIdentity(self);
  for (const fields of table.values()) fields.set = difference(difference(fields.set, owned), removed);
  const previous = table.get(selfId);
  if (owned.size > 0) {
    table.set(selfId, { ...self, time: opts.now, set: union(previous?.set ?? new Set<string>(), owned) });
  }
  const entries = encodeManagedFields(table);
  result.metadata = { ...result.metadata };
  if (entries.length > 0) result.metadata.managedFields = entries;
  return result;
}

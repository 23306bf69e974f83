import type { JsonSchema, SchemaSet } from '../schema/types.ts';
import type { KubeObject } from '../types.ts';
import { mergeApplied } from './apply-merge.ts';
import { difference, intersection, pathString, union, withAncestors, withoutSubtrees, type FieldSet } from './field-set.ts';
import { fieldValuesOf, removePaths } from './field-values.ts';
import { jsonEqual } from './json-value.ts';
import {
  compareFieldValues,
  decodeManagedFields,
  encodeManagedFields,
  managerIdentity,
  withoutIgnored,
  withoutManagedFields,
  type ManagerFields,
  type ManagerTable,
} from './managed-fields.ts';

/** Options for {@link applyConfiguration}. */
export interface ApplyOptions {
  live: KubeObject | undefined;
  config: KubeObject;
  manager: string;
  force: boolean;
  apiVersion: string;
  schema: JsonSchema;
  schemas: SchemaSet;
  /** RFC 3339 time stamped on the applier's entry. */
  now: string;
  subresource?: string;
}

/** A field another manager owns with a different value. */
export interface ApplyConflict {
  /** The other manager's name, e.g. `kubectl-client-side-apply`. */
  manager: string;
  /** Path as upstream prints it, e.g. `.spec.replicas`. */
  field: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  subresource?: string;
}

export type ApplyResult = { object: KubeObject } | { conflicts: ApplyConflict[] };

/**
 * Server-side apply (structured-merge-diff semantics): merges `config` into `live`, removes
 * fields this manager applied before but no longer applies (unless someone else owns them),
 * and reports conflicts with other managers' differing fields unless `force` (then ownership
 * moves). The applier gets one `operation: Apply` entry in `metadata.managedFields`.
 */
export function applyConfiguration(opts: ApplyOptions): ApplyResult {
  const { schema, schemas } = opts;
  const live = withoutManagedFields(opts.live);
  const table = decodeManagedFields(opts.live);
  const self = { manager: opts.manager, operation: 'Apply' as const, apiVersion: opts.apiVersion, ...(opts.subresource === undefined ? {} : { subresource: opts.subresource }) };
  const selfId = managerIdentity(self);
  const configSet = withoutIgnored(new Set(fieldValuesOf(withoutManagedFields(opts.config), schema, schemas).keys()));
  const lastSet = table.get(selfId)?.set ?? new Set<string>();
  const merged = mergeApplied(live, withoutManagedFields(opts.config), schema, schemas) as KubeObject;
  table.set(selfId, { ...self, set: configSet, ...timeOf(table.get(selfId)) });
  prune(merged, lastSet, table, schema, schemas);

  const { changed, removed } = compareFieldValues(fieldValuesOf(live, schema, schemas), fieldValuesOf(merged, schema, schemas));
  const conflicts = findConflicts(table, selfId, changed);
  if (conflicts.length > 0 && !opts.force) return { conflicts: conflicts.map((c) => c.conflict) };
  for (const { id, path } of conflicts) table.get(id)?.set.delete(path);
  for (const [id, fields] of table) if (id !== selfId) fields.set = difference(fields.set, removed);

  const entry = table.get(selfId);
  if (entry !== undefined && (opts.live === undefined || !jsonEqual(live, merged) || entry.time === undefined)) entry.time = opts.now;
  const entries = encodeManagedFields(table);
  merged.metadata = { ...merged.metadata };
  if (entries.length > 0) merged.metadata.managedFields = entries;
  return { object: merged };
}

function timeOf(fields: ManagerFields | undefined): { time?: string } {
  return fields?.time === undefined ? {} : { time: fields.time };
}

/** Removes what the applier owned last time and nobody (the applier included) owns now. */
function prune(merged: KubeObject, lastSet: FieldSet, table: ManagerTable, schema: JsonSchema, schemas: SchemaSet): void {
  if (lastSet.size === 0) return;
  const owned = withAncestors(union(...[...table.values()].map((fields) => fields.set)));
  const toRemove = difference(withAncestors(lastSet), owned);
  removePaths(merged, toRemove, schema, schemas);
  // Paths below a removed one are gone from the object; forget them in every set as well.
  for (const fields of table.values()) fields.set = withoutSubtrees(fields.set, toRemove);
}

function findConflicts(table: ManagerTable, selfId: string, changed: FieldSet): Array<{ id: string; path: string; conflict: ApplyConflict }> {
  const found: Array<{ id: string; path: string; conflict: ApplyConflict }> = [];
  const ids = [...table.keys()].filter((id) => id !== selfId).sort();
  for (const id of ids) {
    const fields = table.get(id);
    if (fields === undefined) continue;
    for (const path of [...intersection(fields.set, changed)].sort()) {
      const conflict: ApplyConflict = {
        manager: fields.manager,
        field: pathString(path),
        operation: fields.operation,
        apiVersion: fields.apiVersion,
        ...(fields.subresource === undefined ? {} : { subresource: fields.subresource }),
      };
      found.push({ id, path, conflict });
    }
  }
  return found;
}

/** How upstream names a manager in conflict messages: `"kubectl" using apps/v1` for Update entries. */
function describeManager(conflict: ApplyConflict): string {
  const name = JSON.stringify(conflict.manager) + (conflict.subresource === undefined ? '' : ` with subresource ${JSON.stringify(conflict.subresource)}`);
  return conflict.operation === 'Update' ? `${name} using ${conflict.apiVersion}` : name;
}

/**
 * The Status message for apply conflicts, worded like apimachinery:
 * `Apply failed with 1 conflict: conflict with "x" using apps/v1: .spec.replicas`, or for several
 * `Apply failed with 2 conflicts: conflicts with "x" using apps/v1:\n- .a\n- .b`.
 */
export function conflictMessage(conflicts: readonly ApplyConflict[]): string {
  const [only] = conflicts;
  if (conflicts.length === 1 && only !== undefined) {
    return `Apply failed with 1 conflict: conflict with ${describeManager(only)}: ${only.field}`;
  }
  const byManager = new Map<string, string[]>();
  for (const conflict of conflicts) {
    const name = describeManager(conflict);
    byManager.set(name, [...(byManager.get(name) ?? []), `- ${conflict.field}`]);
  }
  const lines = [...byManager.keys()].sort().flatMap((name) => [`conflicts with ${name}:`, ...(byManager.get(name) ?? [])]);
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
}

/** Status causes for a conflict response (`reason: FieldManagerConflict`). */
export function conflictCauses(conflicts: readonly ApplyConflict[]): Array<{ reason: 'FieldManagerConflict'; message: string; field: string }> {
  return conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with ${describeManager(c)}`, field: c.field }));
}

import { parseFieldSelector, type FieldSelector } from '../../api/selectors/field-selector.ts';
import { fieldSetOf, supportsField } from '../../api/selectors/field-sets.ts';
import { parseLabelSelector, SelectorParseError, type LabelSelector } from '../../api/selectors/label-selector.ts';
import type { ResourceDefinition } from '../../api/resource-definition.ts';
import type { KubeObject } from '../../api/types.ts';
import { badRequest } from '../status-error.ts';

export interface ListOptions {
  labels: LabelSelector;
  fields: FieldSelector;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'Exact' | 'NotOlderThan';
  watch: boolean;
  timeoutSeconds?: number;
  allowWatchBookmarks: boolean;
  sendInitialEvents?: boolean;
}

function nonNegativeInt(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw badRequest(`${name}: Invalid value: "${v}": must be a non-negative integer`);
  return n;
}

export function parseListOptions(r: ResourceDefinition, q: URLSearchParams): ListOptions {
  let labels: LabelSelector;
  let fields: FieldSelector;
  try {
    labels = parseLabelSelector(q.get('labelSelector') ?? undefined);
    fields = parseFieldSelector(q.get('fieldSelector') ?? undefined);
  } catch (err) {
    if (err instanceof SelectorParseError) throw badRequest(`unable to parse requirement: ${err.message}`);
    throw err;
  }
  for (const req of fields.requirements) {
    if (!supportsField(r.group, r.kind, req.field, r.namespaced)) {
      throw badRequest(`field label not supported: ${req.field}`);
    }
  }
  const match = q.get('resourceVersionMatch') ?? undefined;
  if (match !== undefined && match !== 'Exact' && match !== 'NotOlderThan') {
    throw badRequest(`resourceVersionMatch: Unsupported value: "${match}": supported values: "Exact", "NotOlderThan"`);
  }
  const rv = q.get('resourceVersion') ?? undefined;
  if (match && !rv) throw badRequest('resourceVersionMatch is forbidden unless resourceVersion is provided');
  if (rv !== undefined && rv !== '' && !/^\d+$/.test(rv)) throw badRequest(`resourceVersion: Invalid value: "${rv}": must be a non-negative integer`);
  const watch = q.get('watch') === 'true' || q.get('watch') === '1';
  if (q.get('continue') && rv && rv !== '0' && !watch) throw badRequest('specifying resource version is not allowed when using continue');
  const sie = q.get('sendInitialEvents');
  return {
    labels,
    fields,
    limit: nonNegativeInt(q, 'limit'),
    continue: q.get('continue') || undefined,
    resourceVersion: rv || undefined,
    resourceVersionMatch: match as ListOptions['resourceVersionMatch'],
    watch,
    timeoutSeconds: nonNegativeInt(q, 'timeoutSeconds'),
    allowWatchBookmarks: q.get('allowWatchBookmarks') === 'true',
    sendInitialEvents: sie === null ? undefined : sie === 'true',
  };
}

/** The selector match for one object of resource `r`. */
export function selects(r: ResourceDefinition, opts: ListOptions, obj: KubeObject): boolean {
  if (!opts.labels.empty && !opts.labels.matches(obj.metadata?.labels)) return false;
  if (!opts.fields.empty && !opts.fields.matches(fieldSetOf(r.group, r.kind, obj, r.namespaced))) return false;
  return true;
}

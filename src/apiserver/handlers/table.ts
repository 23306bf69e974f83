import type { TablePrinter } from '../../api/resource-definition.ts';
import type { KubeObject } from '../../api/types.ts';
import { badRequest } from '../status-error.ts';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export function parseIncludeObject(q: URLSearchParams): IncludeObject {
  const v = q.get('includeObject') ?? 'Metadata';
  if (v !== 'None' && v !== 'Metadata' && v !== 'Object') throw badRequest(`includeObject: Unsupported value: "${v}"`);
  return v;
}

function rowObject(obj: KubeObject, include: IncludeObject): KubeObject | undefined {
  if (include === 'None') return undefined;
  if (include === 'Object') return obj;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
}

/** A `meta.k8s.io/v1` Table of objects, rendered with the kind's server-side printer. */
export function renderTable(opts: {
  printer: TablePrinter;
  objects: KubeObject[];
  include: IncludeObject;
  now: Date;
  listMeta?: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  withColumns?: boolean;
}): Record<string, unknown> {
  const rows = opts.objects.map((o) => {
    const object = rowObject(o, opts.include);
    return { cells: opts.printer.cells(o, opts.now), ...(object ? { object } : {}) };
  });
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: opts.listMeta ?? {},
    ...(opts.withColumns === false ? {} : { columnDefinitions: opts.printer.columns }),
    rows,
  };
}

import type { TableColumnDefinition, TablePrinter } from '../resource-definition.ts';
import { CREATION_TIMESTAMP_DESCRIPTION, nameColumn } from './columns.ts';
import { nameOf } from './format.ts';
import { humanDuration } from './human-duration.ts';
import { type JsonPath, evaluate, parsePath } from './json-path.ts';

/** One entry of a CRD version's `additionalPrinterColumns`. */
export interface PrinterColumn {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath: string;
}

/** What a CRD version without printer columns is served with: an Age column. */
const DEFAULT_COLUMNS: PrinterColumn[] = [{ name: 'Age', type: 'date', description: CREATION_TIMESTAMP_DESCRIPTION, jsonPath: '.metadata.creationTimestamp' }];

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

/** A float as Go's `%v` prints it (exponent below 1e-4, two-digit exponents). */
function goFloat(n: number): string {
  const text = String(n);
  const small = n !== 0 && Math.abs(n) < 1e-4;
  const exponential = small ? n.toExponential() : text;
  return exponential.replace(/e([+-])(\d)$/, 'e$10$2');
}

/** A value as client-go's JSONPath printer renders it: strings raw, objects and lists as compact JSON. */
function printValue(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return goFloat(value);
  if (typeof value === 'boolean') return String(value);
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  const record = value as Record<string, unknown>;
  return Object.fromEntries(Object.keys(record).sort().map((k) => [k, sortKeys(record[k])]));
}

function dateCell(value: unknown, now: Date): string | null {
  if (typeof value !== 'string') return null;
  if (value === '' || value === 'null') return '<unknown>';
  if (!RFC3339.test(value)) return '<invalid>';
  return humanDuration(now.getTime() - Date.parse(value));
}

/** A typed cell as the CRD table convertor's `cellForJSONValue` builds it; null when the type does not fit. */
function typedCell(type: string, value: unknown, now: Date): unknown {
  switch (type) {
    case 'string':
      return printValue(value);
    case 'integer':
      return typeof value === 'number' ? Math.trunc(value) : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'date':
      return dateCell(value, now);
    default:
      return null;
  }
}

function definitionOf(col: PrinterColumn): TableColumnDefinition {
  return {
    name: col.name,
    type: col.type as TableColumnDefinition['type'],
    format: col.format ?? '',
    description: col.description || `Custom resource definition column (in JSONPath format): ${col.jsonPath}`,
    priority: col.priority ?? 0,
  };
}

function compile(col: PrinterColumn): JsonPath | undefined {
  try {
    return parsePath(col.jsonPath);
  } catch {
    return undefined;
  }
}

/**
 * The printer for a custom resource version: Name, then each additional printer column
 * (or Age when there are none), cells from the first JSONPath match, null when nothing matches.
 * A column whose JSONPath cannot be parsed keeps its header and prints null cells.
 */
export function customResourcePrinter(additionalPrinterColumns: PrinterColumn[] | undefined): TablePrinter {
  const columns = additionalPrinterColumns && additionalPrinterColumns.length > 0 ? additionalPrinterColumns : DEFAULT_COLUMNS;
  const paths = columns.map(compile);
  return {
    columns: [nameColumn(), ...columns.map(definitionOf)],
    cells(obj, now) {
      const cells = columns.map((col, i) => {
        const path = paths[i];
        const found = path === undefined ? [] : evaluate(path, obj);
        return found.length === 0 ? null : typedCell(col.type, found[0], now);
      });
      return [nameOf(obj), ...cells];
    },
  };
}

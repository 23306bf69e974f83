import type { KubeObject } from '../types.ts';
import type { TablePrinter } from '../resource-definition.ts';

/** The fixed "now" every printer test renders against. */
export const NOW = new Date('2025-06-01T12:00:00Z');

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

/** A duration from parts, e.g. `dur({ m: 5, s: 3 })`. */
export function dur(parts: { d?: number; h?: number; m?: number; s?: number }): number {
  return (parts.d ?? 0) * D + (parts.h ?? 0) * H + (parts.m ?? 0) * M + (parts.s ?? 0) * S;
}

/** An RFC3339 timestamp that lies `ms` before {@link NOW}. */
export function ago(ms: number): string {
  return new Date(NOW.getTime() - ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** An object of a kind with a name, namespace `default`, created `age` ms before NOW, plus extra fields. */
export function object(apiVersion: string, kind: string, name: string, age: number, fields: Record<string, unknown> = {}): KubeObject {
  const { metadata, ...rest } = fields;
  return {
    apiVersion,
    kind,
    metadata: { name, namespace: 'default', creationTimestamp: ago(age), ...(metadata as object | undefined) },
    ...rest,
  };
}

/** Cells keyed by column name, for assertions on single columns. */
export function cellMap(printer: TablePrinter, obj: KubeObject): Record<string, unknown> {
  const cells = printer.cells(obj, NOW);
  return Object.fromEntries(printer.columns.map((c, i) => [c.name, cells[i]]));
}

/** Column names, upper-cased as kubectl prints them, split into default and `-o wide` only. */
export function headers(printer: TablePrinter): { normal: string[]; wide: string[] } {
  const upper = (p: number) => printer.columns.filter((c) => c.priority === p).map((c) => c.name.toUpperCase());
  return { normal: upper(0), wide: upper(1) };
}

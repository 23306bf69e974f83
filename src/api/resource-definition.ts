import type { FieldError, KubeObject } from './types.ts';

export type Verb = 'create' | 'delete' | 'deletecollection' | 'get' | 'list' | 'patch' | 'update' | 'watch';

export interface SubresourceDefinition {
  name: string;
  /** Kind served by the subresource (e.g. autoscaling/v1 Scale for `scale`); default: the parent kind. */
  kind?: { group: string; version: string; kind: string };
  verbs: Verb[];
}

/** A served REST resource: what discovery lists and the generic REST handlers serve. */
export interface ResourceDefinition {
  group: string;
  version: string;
  kind: string;
  listKind: string;
  /** Lower-case plural, the URL segment (`deployments`). */
  plural: string;
  singular: string;
  namespaced: boolean;
  verbs: Verb[];
  shortNames?: string[];
  categories?: string[];
  subresources?: SubresourceDefinition[];
  /**
   * True for kinds whose `.status` is written only through `/status` (the main resource ignores
   * incoming status and `/status` ignores everything else).
   */
  hasStatusSubresource?: boolean;
  /** Virtual resources (reviews) are created and answered, never stored. */
  virtual?: boolean;
  /** Definition name of the kind's schema, e.g. `io.k8s.api.apps.v1.Deployment`. */
  schemaName?: string;
}

/** Fills in defaults in place, as upstream's v1 defaulters do. */
export type Defaulter = (obj: KubeObject) => void;

/** Returns field errors for a new object, or for an update when `old` is given. */
export type Validator = (obj: KubeObject, old?: KubeObject) => FieldError[];

export interface TableColumnDefinition {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format: string;
  description: string;
  /** 0: default columns; 1: only with `-o wide`. */
  priority: number;
}

/** Server-side printer for `kubectl get`: column definitions and one row of cells per object. */
export interface TablePrinter {
  columns: TableColumnDefinition[];
  cells(obj: KubeObject, now: Date): unknown[];
}

/** Field values an object exposes to fieldSelector (`metadata.name` etc.). */
export type FieldSet = Record<string, string>;
export type FieldExtractor = (obj: KubeObject) => FieldSet;

export function resourceKey(r: { group: string; plural: string }): string {
  return r.group === '' ? r.plural : `${r.plural}.${r.group}`;
}

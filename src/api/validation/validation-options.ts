import type { FieldError, KubeObject } from '../types.ts';

/** Settings the API server passes to {@link validatorFor}; every field has a sensible default. */
export interface ValidationOptions {
  /**
   * Whether the resource is namespaced (namespaced kinds require `metadata.namespace`, cluster-scoped
   * kinds forbid it). Default: looked up in `BUILTIN_RESOURCES`.
   */
  namespaced?: boolean;
  /** The server's `--service-node-port-range`; default 30000–32767. */
  serviceNodePortRange?: PortRange;
}

export interface PortRange {
  min: number;
  max: number;
}

export const DEFAULT_NODE_PORT_RANGE: PortRange = { min: 30000, max: 32767 };

/** Kind-specific checks (object-meta checks are added around them by `validatorFor`). */
export type KindValidator = (obj: KubeObject, old: KubeObject | undefined, options: ValidationOptions) => FieldError[];

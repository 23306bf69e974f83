import type { ResourceDefinition } from '../api/resource-definition.ts';
import type { SchemaSet } from '../api/schema/types.ts';
import type { FieldError, KubeObject } from '../api/types.ts';
import type { ServiceNetworkConfig } from './lifecycle/service-allocator.ts';
import type { ObjectCache } from './registry/object-cache.ts';
import type { ObjectStore } from './registry/object-store.ts';
import type { ResourceCatalog } from './registry/resource-catalog.ts';

/** Validation of custom resources against their CRD's structural schema. */
export interface CustomResourceSchema {
  validate(obj: KubeObject): FieldError[];
  /** Removes fields the schema does not declare; returns their paths. */
  prune(obj: KubeObject): string[];
}

/** What request handlers share: the current catalog and schemas, the object store and configuration. */
export interface ApiContext {
  catalog(): ResourceCatalog;
  schemas(): SchemaSet;
  customSchema(r: ResourceDefinition): CustomResourceSchema | undefined;
  objects: ObjectStore;
  now(): Date;
  services: ServiceNetworkConfig;
  /** Runs `fn` with no other holder of `lock` running (e.g. `service-allocation`). */
  serialize<T>(lock: string, fn: () => Promise<T>): Promise<T>;
  /** JSON paths of a custom resource's scale subresource (specReplicasPath …), when it has one. */
  scalePaths?(r: ResourceDefinition): { spec: string; status: string; selector: string } | undefined;
  /** Refuses an eviction that would break a PodDisruptionBudget (429); set once the PDB logic is wired. */
  evictionCheck?(namespace: string, name: string): Promise<void>;
  /**
   * In-memory copy of a small, often-read resource (namespaces, quotas, limit ranges, priority
   * classes, RBAC objects), or undefined for others: admission and authorization read these.
   */
  cache?(group: string, plural: string): ObjectCache | undefined;
  /** Counts one event sent to a watch client of `r` (apiserver_watch_events_total). */
  watchEventSent?(r: ResourceDefinition): void;
  /** Called after a write of a resource commits (CRD changes rebuild the catalog). */
  afterWrite(r: ResourceDefinition, obj: KubeObject, deleted: boolean): void;
}

/** One-at-a-time execution per lock name, without module-global state. */
export function createSerializer(): <T>(lock: string, fn: () => Promise<T>) => Promise<T> {
  const tails = new Map<string, Promise<unknown>>();
  return async <T>(lock: string, fn: () => Promise<T>): Promise<T> => {
    const previous = tails.get(lock) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const tail = run.catch(() => undefined);
    tails.set(lock, tail);
    try {
      return await run;
    } finally {
      if (tails.get(lock) === tail) tails.delete(lock);
    }
  };
}

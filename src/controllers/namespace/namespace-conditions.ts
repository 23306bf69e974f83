import type { NamespaceCondition } from 'kubernetes-types/core/v1.js';

/** What one cleanup pass found; each field feeds one of upstream's namespace conditions. */
export interface CleanupReport {
  discoveryFailures: string[];
  deleteFailures: string[];
  /** `pods` / `deployments.apps` → instances still present. */
  remaining: Map<string, number>;
  /** finalizer → instances still carrying it. */
  finalizers: Map<string, number>;
}

const joinCounts = (m: Map<string, number>, fmt: (k: string, n: number) => string) =>
  [...m.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, n]) => fmt(k, n))
    .join(', ');

/** The five deletion conditions as upstream's namespace controller writes them (reasons and messages). */
export function namespaceConditions(report: CleanupReport, now: string): NamespaceCondition[] {
  const cond = (type: string, failing: boolean, reason: [string, string], message: [string, string]): NamespaceCondition => ({
    type,
    status: failing ? 'True' : 'False',
    lastTransitionTime: now,
    reason: failing ? reason[1] : reason[0],
    message: failing ? message[1] : message[0],
  });
  const { discoveryFailures: disc, deleteFailures: del, remaining, finalizers } = report;
  return [
    cond('NamespaceDeletionDiscoveryFailure', disc.length > 0, ['ResourcesDiscovered', 'DiscoveryFailed'], ['All resources successfully discovered', `Discovery failed for some groups, ${disc.length} failing: ${disc.join(', ')}`]),
    cond('NamespaceDeletionGroupVersionParsingFailure', false, ['ParsedGroupVersions', 'GroupVersionParsingFailed'], ['All legacy kube types successfully parsed', '']),
    cond('NamespaceDeletionContentFailure', del.length > 0, ['ContentDeleted', 'ContentDeletionFailed'], ['All content successfully deleted, may be waiting on finalization', `Failed to delete all resource types, ${del.length} remaining: ${del.join(', ')}`]),
    cond('NamespaceContentRemaining', remaining.size > 0, ['ContentRemoved', 'SomeResourcesRemain'], ['All content successfully removed', `Some resources are remaining: ${joinCounts(remaining, (k, n) => `${k} has ${n} resource instances`)}`]),
    cond('NamespaceFinalizersRemaining', finalizers.size > 0, ['ContentHasNoFinalizers', 'SomeFinalizersRemain'], ['All content-preserving finalizers finished', `Some content in the namespace has finalizers remaining: ${joinCounts(finalizers, (k, n) => `${k} in ${n} resource instances`)}`]),
  ];
}

/** Keeps each condition's transition time when only its timestamp would change. */
export function mergeConditions(old: NamespaceCondition[] | undefined, next: NamespaceCondition[]): NamespaceCondition[] {
  return next.map((c) => {
    const prev = old?.find((o) => o.type === c.type);
    return prev && prev.status === c.status && prev.reason === c.reason && prev.message === c.message ? prev : c;
  });
}

import type { KubeObject } from '../../api/types.ts';

type Rec = Record<string, unknown>;

/**
 * Kind-specific create/update rules that upstream keeps in each resource's "strategy": what the
 * server resets or derives on its own (pod status on create, namespace phase, CRD conditions).
 */
export interface KindStrategy {
  prepareForCreate?(obj: KubeObject, now: string): void;
  /** Called for writes to the main resource (not `/status`). */
  prepareForUpdate?(obj: KubeObject, old: KubeObject): void;
  /** Whether an update without `metadata.resourceVersion` is allowed (upstream AllowUnconditionalUpdate). */
  allowUnconditionalUpdate?: boolean;
}

function podQosClass(pod: KubeObject): string {
  const containers = [...(((pod.spec as Rec | undefined)?.containers ?? []) as Rec[]), ...(((pod.spec as Rec | undefined)?.initContainers ?? []) as Rec[])];
  let anyRequests = false;
  let guaranteed = containers.length > 0;
  for (const c of containers) {
    const res = (c.resources ?? {}) as { requests?: Rec; limits?: Rec };
    const requests = res.requests ?? {};
    const limits = res.limits ?? {};
    if (Object.keys(requests).length || Object.keys(limits).length) anyRequests = true;
    for (const name of ['cpu', 'memory']) {
      const limit = limits[name];
      const request = requests[name] ?? limit;
      if (limit === undefined || String(request) !== String(limit)) guaranteed = false;
    }
  }
  if (!anyRequests) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

/**
 * Jobs without `manualSelector` get a selector on their own uid, so two Jobs never adopt each
 * other's pods (upstream job strategy); the pod template carries the matching labels.
 */
function generateJobSelector(job: KubeObject): void {
  const spec = (job.spec ??= {}) as Rec;
  if (spec.manualSelector === true) return;
  const uid = job.metadata?.uid ?? '';
  const name = job.metadata?.name ?? '';
  spec.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
  const template = (spec.template ??= {}) as { metadata?: { labels?: Record<string, string> } };
  const meta = (template.metadata ??= {});
  meta.labels = { ...meta.labels, 'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': name, 'controller-uid': uid, 'job-name': name };
}

const STRATEGIES: Record<string, KindStrategy> = {
  'batch/Job': {
    prepareForCreate(obj) {
      generateJobSelector(obj);
    },
  },
  '/Pod': {
    prepareForCreate(obj) {
      obj.status = { phase: 'Pending', qosClass: podQosClass(obj) };
    },
  },
  '/Namespace': {
    prepareForCreate(obj) {
      obj.status = { phase: 'Active' };
      const spec = (obj.spec ??= {}) as Rec;
      spec.finalizers ??= ['kubernetes'];
    },
    prepareForUpdate(obj, old) {
      // spec.finalizers changes only through /finalize.
      obj.spec = old.spec;
    },
  },
  '/Node': {
    // Nodes may carry status on create (the kubelet registers with it).
    prepareForCreate() {},
  },
  'apiextensions.k8s.io/CustomResourceDefinition': {
    prepareForCreate(obj) {
      obj.status = {};
      // Custom resources are removed before the CRD goes away (see crd-controller).
      const meta = (obj.metadata ??= {});
      meta.finalizers = [...new Set([...(meta.finalizers ?? []), 'customresourcecleanup.apiextensions.k8s.io'])];
    },
  },
};

export function strategyFor(group: string, kind: string): KindStrategy {
  return STRATEGIES[`${group}/${kind}`] ?? {};
}

/** Kinds whose status is kept on create even though they have a status subresource. */
export function keepsStatusOnCreate(group: string, kind: string): boolean {
  return group === '' && kind === 'Node';
}

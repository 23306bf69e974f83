import { formatLabelSelector } from '../../api/selectors/label-selector.ts';
import type { KubeObject } from '../../api/types.ts';
import { invalid } from '../status-error.ts';

type Rec = Record<string, unknown>;

/** The autoscaling/v1 Scale view of a workload (deployments, replicasets, statefulsets, CRs with a scale subresource). */
export function toScale(parent: KubeObject, paths = { spec: 'spec.replicas', status: 'status.replicas', selector: 'status.selector' }): KubeObject {
  const spec = (parent.spec ?? {}) as Rec;
  const status = (parent.status ?? {}) as Rec;
  const selector = spec.selector as Parameters<typeof formatLabelSelector>[0] | string | undefined;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: parent.metadata?.name,
      namespace: parent.metadata?.namespace,
      uid: parent.metadata?.uid,
      resourceVersion: parent.metadata?.resourceVersion,
      creationTimestamp: parent.metadata?.creationTimestamp,
    },
    spec: { replicas: readPath(parent, paths.spec) ?? 0 },
    status: {
      replicas: readPath(parent, paths.status) ?? status.replicas ?? 0,
      selector: typeof selector === 'string' ? selector : (readPath(parent, paths.selector) as string | undefined) ?? formatLabelSelector(selector),
    },
  };
}

export function readPath(obj: unknown, path: string): unknown {
  let node = obj;
  for (const step of path.replace(/^\./, '').split('.')) {
    if (!node || typeof node !== 'object') return undefined;
    node = (node as Rec)[step];
  }
  return node;
}

function writePath(obj: Rec, path: string, value: unknown): void {
  const steps = path.replace(/^\./, '').split('.');
  let node = obj;
  for (const step of steps.slice(0, -1)) node = (node[step] ??= {}) as Rec;
  node[steps[steps.length - 1] as string] = value;
}

/** Writes a Scale's desired replicas back into the parent; returns the parent to store. */
export function applyScale(parent: KubeObject, scale: KubeObject, specPath = 'spec.replicas'): KubeObject {
  const replicas = (scale.spec as Rec | undefined)?.replicas;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    throw invalid('autoscaling', 'Scale', parent.metadata?.name ?? '', [{ field: 'spec.replicas', type: 'FieldValueInvalid', value: replicas, detail: 'must be greater than or equal to 0' }]);
  }
  writePath(parent as Rec, specPath, replicas);
  if (scale.metadata?.resourceVersion) parent.metadata = { ...parent.metadata, resourceVersion: scale.metadata.resourceVersion };
  return parent;
}

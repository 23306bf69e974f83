import type { Pod, PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';

export interface PodFromTemplate {
  namespace: string;
  /** A fixed name (StatefulSet) … */
  name?: string;
  /** … or a prefix the API server completes with 5 random characters (`web-7c5ddbdf54-`). */
  generateName?: string;
  ownerRef: OwnerReference;
  /** Labels added to the template's (e.g. `controller-revision-hash`). */
  extraLabels?: Record<string, string>;
}

/** A pod for a controller: labels, annotations and finalizers from the template, owned by the controller. */
export function podFromTemplate(template: PodTemplateSpec | undefined, o: PodFromTemplate): Pod {
  const t = structuredClone(template ?? {});
  const meta = t.metadata ?? {};
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...(o.name ? { name: o.name } : { generateName: o.generateName }),
      namespace: o.namespace,
      labels: { ...(meta.labels ?? {}), ...(o.extraLabels ?? {}) },
      ...(meta.annotations ? { annotations: meta.annotations } : {}),
      ...(meta.finalizers ? { finalizers: meta.finalizers } : {}),
      ownerReferences: [o.ownerRef],
    },
    spec: t.spec ?? { containers: [] },
  };
}

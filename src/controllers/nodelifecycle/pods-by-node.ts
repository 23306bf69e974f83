import type { Pod } from 'kubernetes-types/core/v1.js';
import { objectKey, type Informer } from '../../client/informer.ts';

/** An index of the pod informer by `spec.nodeName`, so a node's pods are found without scanning all pods. */
export class PodsByNode {
  private readonly index = new Map<string, Set<string>>();

  constructor(private readonly pods: Informer<Pod>) {
    pods.on({
      add: (p) => this.put(p),
      update: (old, p) => (this.drop(old), this.put(p)),
      delete: (p) => this.drop(p),
    });
  }

  /** The cached pods bound to `nodeName` (shared objects: read only). */
  on(nodeName: string): Pod[] {
    const keys = this.index.get(nodeName);
    if (!keys) return [];
    const out: Pod[] = [];
    for (const k of keys) {
      const p = this.pods.get(k);
      if (p) out.push(p);
    }
    return out;
  }

  private put(p: Pod): void {
    const node = p.spec?.nodeName;
    if (!node) return;
    let keys = this.index.get(node);
    if (!keys) this.index.set(node, (keys = new Set()));
    keys.add(objectKey(p));
  }

  private drop(p: Pod): void {
    const node = p.spec?.nodeName;
    if (!node) return;
    const keys = this.index.get(node);
    keys?.delete(objectKey(p));
    if (keys?.size === 0) this.index.delete(node);
  }
}

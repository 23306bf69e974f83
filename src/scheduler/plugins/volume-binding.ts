import type { PersistentVolume, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import { R } from '../../client/resource-ref.ts';
import type { NodeInfo } from '../cache/node-info.ts';
import type { PodInfo } from '../cache/pod-info.ts';
import type { CycleState } from '../framework/cycle-state.ts';
import type { FilterPlugin } from '../framework/filter.ts';
import type { PluginContext } from '../framework/plugin-context.ts';
import type { PreBindPlugin } from '../framework/pre-bind.ts';
import type { PreFilterPlugin } from '../framework/pre-filter.ts';
import { error, skip, success, unresolvable, unschedulable, type Status } from '../framework/status.ts';
import { termMatchesNode } from '../../api/selectors/node-selector.ts';

/** The annotation a WaitForFirstConsumer claim gets so its provisioner creates the volume there. */
export const SELECTED_NODE_ANNOTATION = 'volume.kubernetes.io/selected-node';

interface VolumeState {
  boundVolumes: PersistentVolume[];
  /** Unbound WaitForFirstConsumer claims: bound to the chosen node's topology in PreBind. */
  delayed: PersistentVolumeClaim[];
}

/** The claim names a pod uses: persistentVolumeClaim volumes and generic ephemeral volumes (`<pod>-<volume>`). */
export function podClaimNames(pod: Pod): string[] {
  const names: string[] = [];
  for (const v of pod.spec?.volumes ?? []) {
    if (v.persistentVolumeClaim) names.push(v.persistentVolumeClaim.claimName);
    else if (v.ephemeral) names.push(`${pod.metadata?.name ?? ''}-${v.name}`);
  }
  return names;
}

/**
 * PVC-backed volumes: a bound claim's PV node affinity must match the node; an unbound claim is
 * fine only when its StorageClass is WaitForFirstConsumer, and then PreBind annotates it with the
 * chosen node (the provisioner acts on that). Matching unbound static PVs is the PV binder's job.
 */
export class VolumeBinding implements PreFilterPlugin, FilterPlugin, PreBindPlugin {
  readonly name = 'VolumeBinding';

  constructor(private readonly ctx: PluginContext) {}

  preFilter(state: CycleState, pod: PodInfo): Status {
    const names = podClaimNames(pod.pod);
    if (names.length === 0) return skip();
    const ns = pod.pod.metadata?.namespace ?? 'default';
    const s: VolumeState = { boundVolumes: [], delayed: [] };
    for (const name of names) {
      const pvc = this.ctx.pvcs.get(`${ns}/${name}`);
      if (!pvc) return unresolvable(`persistentvolumeclaim "${name}" not found`);
      if (pvc.metadata?.deletionTimestamp) return unresolvable(`persistentvolumeclaim "${name}" is being deleted`);
      const volumeName = pvc.spec?.volumeName;
      if (volumeName) {
        const pv = this.ctx.pvs.get(volumeName);
        if (!pv) return unresolvable('pvc(s) bound to non-existent pv(s)');
        s.boundVolumes.push(pv);
        continue;
      }
      const sc = pvc.spec?.storageClassName ? this.ctx.storageClasses.get(pvc.spec.storageClassName) : undefined;
      if (sc?.volumeBindingMode !== 'WaitForFirstConsumer') return unresolvable('pod has unbound immediate PersistentVolumeClaims');
      s.delayed.push(pvc);
    }
    state.write(this.name, s);
    return success();
  }

  filter(state: CycleState, _pod: PodInfo, node: NodeInfo): Status {
    const s = state.read<VolumeState>(this.name);
    if (!s || !node.node) return success();
    for (const pv of s.boundVolumes) {
      const terms = pv.spec?.nodeAffinity?.required?.nodeSelectorTerms;
      if (terms && !terms.some((t) => termMatchesNode(t, node.node as NonNullable<NodeInfo['node']>))) return unschedulable('node(s) had volume node affinity conflict');
    }
    for (const pvc of s.delayed) {
      const sc = this.ctx.storageClasses.get(pvc.spec?.storageClassName ?? '');
      const allowed = sc?.allowedTopologies;
      if (!allowed?.length) continue;
      const labels = node.labels();
      const ok = allowed.some((t) => (t.matchLabelExpressions ?? []).every((e) => labels[e.key] !== undefined && e.values.includes(labels[e.key] as string)));
      if (!ok) return unschedulable("node(s) didn't find available persistent volumes to bind");
    }
    return success();
  }

  async preBind(state: CycleState, _pod: PodInfo, nodeName: string): Promise<Status> {
    const s = state.read<VolumeState>(this.name);
    for (const pvc of s?.delayed ?? []) {
      if (pvc.metadata?.annotations?.[SELECTED_NODE_ANNOTATION] === nodeName) continue;
      try {
        await this.ctx.client.patch(R.persistentvolumeclaims, pvc.metadata?.namespace, pvc.metadata?.name ?? '', 'merge', { metadata: { annotations: { [SELECTED_NODE_ANNOTATION]: nodeName } } });
      } catch (err) {
        return error(`selecting node for claim ${pvc.metadata?.name ?? ''}: ${String(err)}`);
      }
    }
    return success();
  }
}

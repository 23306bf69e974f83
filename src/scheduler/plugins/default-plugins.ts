import { Framework, type Profile } from '../framework/framework.ts';
import type { PluginContext } from '../framework/plugin-context.ts';
import { DefaultBinder } from './default-binder.ts';
import { DefaultPreemption } from './default-preemption.ts';
import { InterPodAffinity } from './inter-pod-affinity.ts';
import { NodeAffinity } from './node-affinity.ts';
import { NodeName } from './node-name.ts';
import { NodePorts } from './node-ports.ts';
import { NodeResourcesFit } from './node-resources-fit.ts';
import { NodeUnschedulable } from './node-unschedulable.ts';
import { PodTopologySpread } from './pod-topology-spread.ts';
import { TaintToleration } from './taint-toleration.ts';
import { VolumeBinding } from './volume-binding.ts';

/**
 * The default profile, built at start-up (no global registry): cheap, node-local filters first so
 * most nodes are rejected before the topology-wide ones run.
 */
export function defaultFramework(ctx: PluginContext): Framework {
  const nodeName = new NodeName();
  const ports = new NodePorts();
  const unschedulable = new NodeUnschedulable();
  const taints = new TaintToleration();
  const affinity = new NodeAffinity();
  const fit = new NodeResourcesFit();
  const volumes = new VolumeBinding(ctx);
  const podAffinity = new InterPodAffinity();
  const spread = new PodTopologySpread();
  const profile: Profile = {
    preFilter: [volumes, podAffinity, spread],
    filter: [nodeName, unschedulable, taints, affinity, ports, fit, volumes, podAffinity, spread],
    postFilter: [],
    score: [fit, affinity, taints, spread],
    reserve: [],
    preBind: [volumes],
    bind: [new DefaultBinder(ctx)],
  };
  const framework = new Framework(profile);
  // Preemption re-runs this profile's filters on nodes with victims removed.
  profile.postFilter.push(new DefaultPreemption(ctx, () => framework));
  return framework;
}

/** core/v1 Pod, PodSpec and PodTemplateSpec (k8s.io.api.core.v1). */
import {
  bool, int32, int64, int64s, message, msg, msgs, ptr, quantityMap, str, stringMap, strs, time,
} from '../schema.ts';
import {
  appArmorProfile, container, ephemeralContainer, resourceRequirements, seccompProfile, seLinuxOptions,
  windowsSecurityContextOptions,
} from './core-container.ts';
import { localObjectReference } from './core-refs.ts';
import { volume } from './core-volume.ts';
import { labelSelector, objectMeta } from './meta.ts';

export const nodeSelectorRequirement = message('core/v1 NodeSelectorRequirement', {
  1: str('key'),
  2: str('operator'),
  3: strs('values'),
});

export const nodeSelectorTerm = message('core/v1 NodeSelectorTerm', {
  1: msgs('matchExpressions', () => nodeSelectorRequirement),
  2: msgs('matchFields', () => nodeSelectorRequirement),
});

export const nodeSelector = message('core/v1 NodeSelector', {
  1: msgs('nodeSelectorTerms', () => nodeSelectorTerm),
});

export const preferredSchedulingTerm = message('core/v1 PreferredSchedulingTerm', {
  1: int32('weight'),
  2: msg('preference', () => nodeSelectorTerm),
});

export const nodeAffinity = message('core/v1 NodeAffinity', {
  1: ptr(msg('requiredDuringSchedulingIgnoredDuringExecution', () => nodeSelector)),
  2: msgs('preferredDuringSchedulingIgnoredDuringExecution', () => preferredSchedulingTerm),
});

export const podAffinityTerm = message('core/v1 PodAffinityTerm', {
  1: ptr(msg('labelSelector', () => labelSelector)),
  2: strs('namespaces'),
  3: str('topologyKey'),
  4: ptr(msg('namespaceSelector', () => labelSelector)),
  5: strs('matchLabelKeys'),
  6: strs('mismatchLabelKeys'),
});

export const weightedPodAffinityTerm = message('core/v1 WeightedPodAffinityTerm', {
  1: int32('weight'),
  2: msg('podAffinityTerm', () => podAffinityTerm),
});

const podAffinityKind = (name: string) => message(`core/v1 ${name}`, {
  1: msgs('requiredDuringSchedulingIgnoredDuringExecution', () => podAffinityTerm),
  2: msgs('preferredDuringSchedulingIgnoredDuringExecution', () => weightedPodAffinityTerm),
});
export const podAffinity = podAffinityKind('PodAffinity');
export const podAntiAffinity = podAffinityKind('PodAntiAffinity');

export const affinity = message('core/v1 Affinity', {
  1: ptr(msg('nodeAffinity', () => nodeAffinity)),
  2: ptr(msg('podAffinity', () => podAffinity)),
  3: ptr(msg('podAntiAffinity', () => podAntiAffinity)),
});

export const toleration = message('core/v1 Toleration', {
  1: str('key'),
  2: str('operator'),
  3: str('value'),
  4: str('effect'),
  5: ptr(int64('tolerationSeconds')),
});

export const hostAlias = message('core/v1 HostAlias', { 1: str('ip'), 2: strs('hostnames') });

export const podDNSConfigOption = message('core/v1 PodDNSConfigOption', {
  1: str('name'),
  2: ptr(str('value')),
});

export const podDNSConfig = message('core/v1 PodDNSConfig', {
  1: strs('nameservers'),
  2: strs('searches'),
  3: msgs('options', () => podDNSConfigOption),
});

export const sysctl = message('core/v1 Sysctl', { 1: str('name'), 2: str('value') });

export const podSecurityContext = message('core/v1 PodSecurityContext', {
  1: ptr(msg('seLinuxOptions', () => seLinuxOptions)),
  8: ptr(msg('windowsOptions', () => windowsSecurityContextOptions)),
  2: ptr(int64('runAsUser')),
  6: ptr(int64('runAsGroup')),
  3: ptr(bool('runAsNonRoot')),
  4: int64s('supplementalGroups'),
  12: ptr(str('supplementalGroupsPolicy')),
  5: ptr(int64('fsGroup')),
  7: msgs('sysctls', () => sysctl),
  9: ptr(str('fsGroupChangePolicy')),
  10: ptr(msg('seccompProfile', () => seccompProfile)),
  11: ptr(msg('appArmorProfile', () => appArmorProfile)),
  13: ptr(str('seLinuxChangePolicy')),
});

export const topologySpreadConstraint = message('core/v1 TopologySpreadConstraint', {
  1: int32('maxSkew'),
  2: str('topologyKey'),
  3: str('whenUnsatisfiable'),
  4: ptr(msg('labelSelector', () => labelSelector)),
  5: ptr(int32('minDomains')),
  6: ptr(str('nodeAffinityPolicy')),
  7: ptr(str('nodeTaintsPolicy')),
  8: strs('matchLabelKeys'),
});

export const podReadinessGate = message('core/v1 PodReadinessGate', { 1: str('conditionType') });
export const podSchedulingGate = message('core/v1 PodSchedulingGate', { 1: str('name') });
export const podOS = message('core/v1 PodOS', { 1: str('name') });

export const podResourceClaim = message('core/v1 PodResourceClaim', {
  1: str('name'),
  3: ptr(str('resourceClaimName')),
  4: ptr(str('resourceClaimTemplateName')),
});

export const podSpec = message('core/v1 PodSpec', {
  1: msgs('volumes', () => volume),
  20: msgs('initContainers', () => container),
  2: msgs('containers', () => container),
  34: msgs('ephemeralContainers', () => ephemeralContainer),
  3: str('restartPolicy'),
  4: ptr(int64('terminationGracePeriodSeconds')),
  5: ptr(int64('activeDeadlineSeconds')),
  6: str('dnsPolicy'),
  7: stringMap('nodeSelector'),
  8: str('serviceAccountName'),
  9: str('serviceAccount'),
  21: ptr(bool('automountServiceAccountToken')),
  10: str('nodeName'),
  11: bool('hostNetwork'),
  12: bool('hostPID'),
  13: bool('hostIPC'),
  27: ptr(bool('shareProcessNamespace')),
  14: ptr(msg('securityContext', () => podSecurityContext)),
  15: msgs('imagePullSecrets', () => localObjectReference),
  16: str('hostname'),
  17: str('subdomain'),
  18: ptr(msg('affinity', () => affinity)),
  19: str('schedulerName'),
  22: msgs('tolerations', () => toleration),
  23: msgs('hostAliases', () => hostAlias),
  24: str('priorityClassName'),
  25: ptr(int32('priority')),
  26: ptr(msg('dnsConfig', () => podDNSConfig)),
  28: msgs('readinessGates', () => podReadinessGate),
  29: ptr(str('runtimeClassName')),
  30: ptr(bool('enableServiceLinks')),
  31: ptr(str('preemptionPolicy')),
  32: quantityMap('overhead'),
  33: msgs('topologySpreadConstraints', () => topologySpreadConstraint),
  35: ptr(bool('setHostnameAsFQDN')),
  36: ptr(msg('os', () => podOS)),
  37: ptr(bool('hostUsers')),
  38: msgs('schedulingGates', () => podSchedulingGate),
  39: msgs('resourceClaims', () => podResourceClaim),
  40: ptr(msg('resources', () => resourceRequirements)),
  41: ptr(str('hostnameOverride')),
});

export const podTemplateSpec = message('core/v1 PodTemplateSpec', {
  1: msg('metadata', () => objectMeta),
  2: msg('spec', () => podSpec),
});

export const podCondition = message('core/v1 PodCondition', {
  1: str('type'),
  7: int64('observedGeneration'),
  2: str('status'),
  3: time('lastProbeTime'),
  4: time('lastTransitionTime'),
  5: str('reason'),
  6: str('message'),
});

/** Clients create pods with an empty status; only its scalar parts are described. */
export const podStatus = message('core/v1 PodStatus', {
  17: int64('observedGeneration'),
  1: str('phase'),
  2: msgs('conditions', () => podCondition),
  3: str('message'),
  4: str('reason'),
  11: str('nominatedNodeName'),
  5: str('hostIP'),
  6: str('podIP'),
  7: ptr(time('startTime')),
  9: str('qosClass'),
  14: str('resize'),
});

export const pod = message('core/v1 Pod', {
  1: msg('metadata', () => objectMeta),
  2: msg('spec', () => podSpec),
  3: msg('status', () => podStatus),
});

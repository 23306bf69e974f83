import type { Node, NodeCondition } from 'kubernetes-types/core/v1.js';
import type { Lease } from 'kubernetes-types/coordination/v1.js';

/** Label every simulated node carries (kwok's convention), so nothing mistakes it for a real one. */
export const SIMULATED_LABEL = 'type';
export const SIMULATED_VALUE = 'simulated';
export const NODE_LEASE_NAMESPACE = 'kube-node-lease';

export interface NodeShape {
  cpu: string;
  memory: string;
  pods: string;
  ephemeralStorage: string;
}

export const DEFAULT_SHAPE: NodeShape = { cpu: '8', memory: '32Gi', pods: '110', ephemeralStorage: '100Gi' };

export const rfc3339 = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
export const microTime = (d: Date): string => d.toISOString().replace('Z', '000Z');

/** The node's address: 172.16.0.0/12, one per index. */
export function nodeIp(index: number): string {
  return `172.${16 + (index >> 16)}.${(index >> 8) & 255}.${(index & 255) || 1}`;
}

/** The kubelet's four standard conditions, all healthy. */
export function healthyConditions(now: Date): NodeCondition[] {
  const t = rfc3339(now);
  const c = (type: string, status: string, reason: string, message: string): NodeCondition => ({ type, status, reason, message, lastHeartbeatTime: t, lastTransitionTime: t });
  return [
    c('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
    c('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
    c('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
    c('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status (simulated)'),
  ];
}

/** A Node as a kubelet registers it: capacity, labels, Ready, addresses. */
export function simulatedNode(name: string, index: number, zone: string, shape: NodeShape, now: Date): Node {
  const resources = { cpu: shape.cpu, memory: shape.memory, pods: shape.pods, 'ephemeral-storage': shape.ephemeralStorage };
  const cidr = `10.${64 + ((index >> 8) & 63)}.${index & 255}.0/24`;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', 'topology.kubernetes.io/zone': zone, [SIMULATED_LABEL]: SIMULATED_VALUE },
      annotations: { 'node.alpha.kubernetes.io/ttl': '0' },
    },
    spec: { podCIDR: cidr, podCIDRs: [cidr] },
    status: {
      capacity: resources,
      allocatable: resources,
      conditions: healthyConditions(now),
      addresses: [
        { type: 'InternalIP', address: nodeIp(index) },
        { type: 'Hostname', address: name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: name,
        systemUUID: name,
        bootID: name,
        kernelVersion: 'simulated',
        osImage: 'Minato simulated node',
        containerRuntimeVersion: 'simulated://0.1.0',
        kubeletVersion: 'v1.30.0-minato-simulated',
        kubeProxyVersion: 'v1.30.0-minato-simulated',
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
    },
  };
}

export function nodeLease(node: Node, durationSeconds: number, now: Date): Lease {
  const name = node.metadata?.name ?? '';
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name, namespace: NODE_LEASE_NAMESPACE, ownerReferences: node.metadata?.uid ? [{ apiVersion: 'v1', kind: 'Node', name, uid: node.metadata.uid }] : undefined },
    spec: { holderIdentity: name, leaseDurationSeconds: durationSeconds, renewTime: microTime(now) },
  };
}

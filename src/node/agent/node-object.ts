/**
 * The Node this agent registers, built from host facts: capacity (CPUs, memory, 110 pods),
 * allocatable, well-known labels, addresses, nodeInfo and the kubelet's four conditions.
 */
import type { Node, NodeCondition } from 'kubernetes-types/core/v1.js';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { runCommand } from '../launcher/run-command.ts';
import { rfc3339 } from './pod-status.ts';

export const KUBELET_VERSION = 'v1.33.1-minato';

/** Host facts that go into the Node object. */
export interface HostFacts {
  cpus: number;
  memoryBytes: number;
  arch: string;
  kernelVersion: string;
  osImage: string;
  machineID: string;
  bootID: string;
  runcVersion: string;
}

/** Reads the facts of this machine (cheap; called once at start). */
export async function readHostFacts(runcPath = '/usr/sbin/runc'): Promise<HostFacts> {
  const read = (p: string): Promise<string> => readFile(p, 'utf8').then((s) => s.trim(), () => '');
  const osRelease = await read('/etc/os-release');
  const pretty = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(osRelease)?.[1] ?? 'Linux';
  const runc = await runCommand(runcPath, ['--version']).catch(() => undefined);
  const version = /runc version (\S+)/.exec(runc?.stdout ?? '')?.[1] ?? 'unknown';
  const goArch: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x' };
  return {
    cpus: os.cpus().length,
    memoryBytes: os.totalmem(),
    arch: goArch[process.arch] ?? process.arch,
    kernelVersion: os.release(),
    osImage: pretty,
    machineID: (await read('/etc/machine-id')) || os.hostname(),
    bootID: await read('/proc/sys/kernel/random/boot_id'),
    runcVersion: version,
  };
}

/** What the operator may set instead of the detected values. */
export interface NodeOptions {
  name: string;
  /** Overrides of capacity (`cpu`, `memory`, `pods`, …). */
  capacity?: Record<string, string>;
  labels?: Record<string, string>;
  zone?: string;
  podCidr?: string;
  nodeIP: string;
  /** Port of the agent's HTTPS server (logs), published as daemonEndpoints.kubeletEndpoint. */
  kubeletPort?: number;
}

/** The kubelet's conditions; all healthy, with transition times kept from `old`. */
export function nodeConditions(now: Date, old: NodeCondition[] | undefined): NodeCondition[] {
  const t = rfc3339(now);
  const c = (type: string, status: string, reason: string, message: string): NodeCondition => {
    const prev = old?.find((x) => x.type === type);
    return { type, status, reason, message, lastHeartbeatTime: t, lastTransitionTime: prev?.status === status ? prev.lastTransitionTime : t };
  };
  return [
    c('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
    c('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
    c('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
    c('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
  ];
}

/** The Node as first registered. */
export function buildNode(opts: NodeOptions, facts: HostFacts, now: Date): Node {
  const capacity: Record<string, string> = {
    cpu: String(facts.cpus),
    memory: `${Math.floor(facts.memoryBytes / 1024)}Ki`,
    pods: '110',
    'ephemeral-storage': '100Gi',
    ...opts.capacity,
  };
  const labels: Record<string, string> = {
    'kubernetes.io/hostname': opts.name,
    'kubernetes.io/os': 'linux',
    'kubernetes.io/arch': facts.arch,
    'beta.kubernetes.io/os': 'linux',
    'beta.kubernetes.io/arch': facts.arch,
    ...(opts.zone ? { 'topology.kubernetes.io/zone': opts.zone } : {}),
    ...opts.labels,
  };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: opts.name, labels, annotations: { 'node.alpha.kubernetes.io/ttl': '0' } },
    spec: opts.podCidr ? { podCIDR: opts.podCidr, podCIDRs: [opts.podCidr] } : {},
    status: {
      capacity,
      allocatable: { ...capacity },
      conditions: nodeConditions(now, undefined),
      addresses: [{ type: 'InternalIP', address: opts.nodeIP }, { type: 'Hostname', address: opts.name }],
      daemonEndpoints: { kubeletEndpoint: { Port: opts.kubeletPort ?? 10250 } },
      nodeInfo: {
        machineID: facts.machineID,
        systemUUID: facts.machineID,
        bootID: facts.bootID,
        kernelVersion: facts.kernelVersion,
        osImage: facts.osImage,
        containerRuntimeVersion: `runc://${facts.runcVersion}`,
        kubeletVersion: KUBELET_VERSION,
        kubeProxyVersion: KUBELET_VERSION,
        operatingSystem: 'linux',
        architecture: facts.arch,
      },
    },
  };
}

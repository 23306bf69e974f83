/**
 * `/stats/summary` in the shape of the kubelet's Summary API (stats/v1alpha1), reduced to what
 * metrics needs: cumulative CPU time and memory working set for the node, each pod and each
 * container, each with the time it was read so a consumer can compute rates between samples.
 */
import { readFile } from 'node:fs/promises';
import type { Clock } from '../../client/clock.ts';
import type { ContainerRuntime } from '../runtime/container-runtime.ts';

/** A pod the agent runs, with the runtime ids of its running containers. */
export interface PodContainers {
  namespace: string;
  name: string;
  uid: string;
  containers: Array<{ name: string; id: string }>;
}

export interface CpuStats {
  time: string;
  usageCoreNanoSeconds: number;
}

export interface MemoryStats {
  time: string;
  workingSetBytes: number;
  usageBytes: number;
}

export interface ContainerSummary {
  name: string;
  cpu: CpuStats;
  memory: MemoryStats;
}

export interface PodSummary {
  podRef: { name: string; namespace: string; uid: string };
  containers: ContainerSummary[];
  cpu: CpuStats;
  memory: MemoryStats;
}

export interface Summary {
  node: { nodeName: string; cpu: CpuStats; memory: MemoryStats & { availableBytes: number } };
  pods: PodSummary[];
}

/** Node-wide cumulative CPU and memory; the default reads /proc. */
export interface NodeUsage {
  cpuNanoseconds: number;
  workingSetBytes: number;
  availableBytes: number;
}

/** USER_HZ is 100 on every Linux architecture Node runs on. */
const NS_PER_TICK = 10_000_000;

/** Reads /proc/stat and /proc/meminfo: busy CPU time (all but idle and iowait), total minus available memory. */
export async function procNodeUsage(): Promise<NodeUsage> {
  const [stat, meminfo] = await Promise.all([readFile('/proc/stat', 'utf8'), readFile('/proc/meminfo', 'utf8')]);
  const cpu = (stat.split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
  const busy = cpu.reduce((a, b) => a + b, 0) - (cpu[3] ?? 0) - (cpu[4] ?? 0);
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(meminfo)?.[1] ?? 0) * 1024;
  const total = kb('MemTotal');
  const available = kb('MemAvailable');
  return { cpuNanoseconds: busy * NS_PER_TICK, workingSetBytes: total - available, availableBytes: available };
}

/** Collects one summary; containers whose stats cannot be read (just exited) are left out. */
export async function collectSummary(d: {
  nodeName: string;
  runtime: ContainerRuntime;
  pods: PodContainers[];
  nodeUsage: () => Promise<NodeUsage>;
  clock: Clock;
}): Promise<Summary> {
  const node = await d.nodeUsage();
  const nodeTime = d.clock.now().toISOString();
  const pods: PodSummary[] = [];
  for (const p of d.pods) {
    const containers: ContainerSummary[] = [];
    for (const c of p.containers) {
      const stats = await d.runtime.stats(c.id).catch(() => undefined);
      if (!stats) continue;
      const time = d.clock.now().toISOString();
      containers.push({ name: c.name, cpu: { time, usageCoreNanoSeconds: stats.cpuUsageNanoseconds }, memory: { time, workingSetBytes: stats.memoryWorkingSetBytes, usageBytes: stats.memoryUsageBytes } });
    }
    const time = d.clock.now().toISOString();
    const sum = (f: (c: ContainerSummary) => number) => containers.reduce((a, c) => a + f(c), 0);
    pods.push({
      podRef: { name: p.name, namespace: p.namespace, uid: p.uid },
      containers,
      cpu: { time, usageCoreNanoSeconds: sum((c) => c.cpu.usageCoreNanoSeconds) },
      memory: { time, workingSetBytes: sum((c) => c.memory.workingSetBytes), usageBytes: sum((c) => c.memory.usageBytes) },
    });
  }
  return {
    node: { nodeName: d.nodeName, cpu: { time: nodeTime, usageCoreNanoSeconds: node.cpuNanoseconds }, memory: { time: nodeTime, workingSetBytes: node.workingSetBytes, usageBytes: node.workingSetBytes, availableBytes: node.availableBytes } },
    pods,
  };
}

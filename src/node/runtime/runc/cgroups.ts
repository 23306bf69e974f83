/**
 * Reads and tidies the cgroup v1 hierarchies runc writes to (these machines run cgroups in hybrid
 * mode: every controller is v1; the cgroup2 mount only tracks processes).
 */
import { readFile, readdir, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ContainerStats } from '../container-runtime.ts';

/** Where the cgroup hierarchies are mounted; a parameter so tests can point at a fake tree. */
export interface CgroupFs {
  root: string;
}

export const hostCgroupFs: CgroupFs = { root: '/sys/fs/cgroup' };

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Parses "key value" lines (memory.stat, memory.oom_control, cpu.stat). */
export function parseKeyValues(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const [k, v] = line.trim().split(/\s+/);
    if (k && v !== undefined) out.set(k, Number(v));
  }
  return out;
}

/**
 * True when the kernel OOM-killed a process in the cgroup: v1 `memory.oom_control` (these machines),
 * or `memory.events` where the memory controller is on cgroup2 (unified or pure v2 hosts).
 */
export async function oomKilled(fs: CgroupFs, cgroupsPath: string): Promise<boolean> {
  const candidates = [
    join(fs.root, 'memory', cgroupsPath, 'memory.oom_control'),
    join(fs.root, 'unified', cgroupsPath, 'memory.events'),
    join(fs.root, cgroupsPath, 'memory.events'),
  ];
  for (const file of candidates) {
    const text = await readText(file);
    if (text !== undefined && (parseKeyValues(text).get('oom_kill') ?? 0) > 0) return true;
  }
  return false;
}

/** Usage figures the kubelet reports: working set = usage − inactive file cache. */
export async function readStats(fs: CgroupFs, cgroupsPath: string): Promise<ContainerStats> {
  const cpu = await readText(join(fs.root, 'cpuacct', cgroupsPath, 'cpuacct.usage'));
  const usage = await readText(join(fs.root, 'memory', cgroupsPath, 'memory.usage_in_bytes'));
  const stat = parseKeyValues((await readText(join(fs.root, 'memory', cgroupsPath, 'memory.stat'))) ?? '');
  const pids = await readText(join(fs.root, 'pids', cgroupsPath, 'pids.current'));
  if (cpu === undefined || usage === undefined) throw new Error(`cgroup ${cgroupsPath} not found`);
  const usageBytes = Number(usage.trim());
  const inactive = stat.get('total_inactive_file') ?? 0;
  return {
    cpuUsageNanoseconds: Number(cpu.trim()),
    memoryUsageBytes: usageBytes,
    memoryWorkingSetBytes: Math.max(0, usageBytes - inactive),
    pids: Number((pids ?? '0').trim()),
  };
}

/**
 * Removes `relPath` (e.g. "/prefix/podUid") from every hierarchy if it is empty. runc deletes only the
 * leaf cgroup of a container; the pod's and the agent's parents are ours to remove. Busy or missing
 * directories are left alone: another container of the pod may still live there.
 */
export async function removeEmptyCgroup(fs: CgroupFs, relPath: string): Promise<void> {
  let hierarchies: string[];
  try {
    hierarchies = await readdir(fs.root);
  } catch {
    return;
  }
  for (const h of hierarchies) {
    try {
      await rmdir(join(fs.root, h, relPath));
    } catch {
      // ENOENT (controller not mounted / already gone) or EBUSY/ENOTEMPTY (still in use): both fine.
    }
  }
}

/** Lists hierarchies that still hold `relPath`; used by tests to prove the host is clean. */
export async function cgroupLeftovers(fs: CgroupFs, relPath: string): Promise<string[]> {
  const out: string[] = [];
  for (const h of await readdir(fs.root)) {
    try {
      await readdir(join(fs.root, h, relPath));
      out.push(join(fs.root, h, relPath));
    } catch {
      // not present in this hierarchy
    }
  }
  return out;
}

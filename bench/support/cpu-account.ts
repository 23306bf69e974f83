/**
 * CPU accounting for a process tree through a cgroup v1 cpuacct group: every process the benchmark's
 * server starts later (the command launcher, conmon, runc, CNI plugins) lands in the same group, so
 * the figure is the node's whole CPU cost, apart from whatever else runs on the machine.
 */
import { readdir, readFile, rmdir, mkdir, writeFile } from 'node:fs/promises';

const CPUACCT = '/sys/fs/cgroup/cpuacct';

/** A cpuacct group holding one process tree. */
export interface CpuAccount {
  /** CPU time used by the group so far, in seconds: user+system, and system alone. */
  usage(): Promise<{ total: number; system: number }>;
  /** Moves whatever is left back to the root group and removes the group. */
  close(): Promise<void>;
}

/** Puts `pid` and its current descendants into a new cpuacct group named `name`. */
export async function accountCpu(name: string, pid: number): Promise<CpuAccount> {
  const dir = `${CPUACCT}/${name}`;
  await mkdir(dir);
  for (const p of [pid, ...(await descendants(pid))]) await writeFile(`${dir}/cgroup.procs`, String(p)).catch(() => undefined);
  return {
    async usage() {
      const total = Number(await readFile(`${dir}/cpuacct.usage`, 'utf8')) / 1e9;
      const system = Number(await readFile(`${dir}/cpuacct.usage_sys`, 'utf8')) / 1e9;
      return { total, system };
    },
    async close() {
      const left = (await readFile(`${dir}/cgroup.procs`, 'utf8').catch(() => '')).split('\n').filter(Boolean);
      for (const p of left) await writeFile(`${CPUACCT}/cgroup.procs`, p).catch(() => undefined);
      await rmdir(dir).catch(() => undefined);
    },
  };
}

async function descendants(root: number): Promise<number[]> {
  const parent = new Map<number, number>();
  for (const e of await readdir('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    const stat = await readFile(`/proc/${e}/stat`, 'utf8').catch(() => '');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid) parent.set(Number(e), ppid);
  }
  const out: number[] = [];
  const isUnder = (p: number): boolean => {
    for (let q = parent.get(p); q !== undefined; q = parent.get(q)) if (q === root) return true;
    return false;
  };
  for (const p of parent.keys()) if (isUnder(p)) out.push(p);
  return out;
}

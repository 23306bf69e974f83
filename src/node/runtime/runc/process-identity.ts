/**
 * A host process named by pid and kernel start time, so that a recycled pid is never mistaken for
 * the container it once was. Reading /proc costs microseconds where `runc state` costs a fork of
 * the agent and a Go start-up (~10 ms of CPU), and the agent asks for every container every second.
 */
import { readFile } from 'node:fs/promises';

/** A process as the kernel knows it: pid plus start time in clock ticks since boot. */
export interface ProcessIdentity {
  pid: number;
  startTicks: number;
}

/** Whether the process lives: 'alive', 'zombie' (exited, not yet reaped) or 'gone' (or pid reused). */
export type ProcessLiveness = 'alive' | 'zombie' | 'gone';

/** Reads the identity of a live pid, or undefined when there is no such process. */
export async function processIdentity(pid: number): Promise<ProcessIdentity | undefined> {
  const fields = await statFields(pid);
  if (!fields) return undefined;
  return { pid, startTicks: Number(fields[19]) };
}

/** Tells whether the very process `id` names still exists. */
export async function processLiveness(id: ProcessIdentity): Promise<ProcessLiveness> {
  const fields = await statFields(id.pid);
  if (!fields || Number(fields[19]) !== id.startTicks) return 'gone';
  return fields[0] === 'Z' || fields[0] === 'X' ? 'zombie' : 'alive';
}

/** Fields of /proc/<pid>/stat after the command name (state is [0], starttime is [19]). */
async function statFields(pid: number): Promise<string[] | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses; everything after the last ')' is fixed.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

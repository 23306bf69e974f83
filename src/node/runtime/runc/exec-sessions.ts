/**
 * Terminal exec sessions live in `<dataDir>/exec/<id>/` while their conmon runs. A session of an agent
 * that died mid-exec keeps its folder after conmon exits; the next runtime over the same data dir
 * removes every folder no running process refers to.
 */
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** Removes the session folders under `execDir` that no live process names on its command line; returns them. */
export async function removeStaleExecSessions(execDir: string): Promise<string[]> {
  let sessions: string[];
  try {
    sessions = (await readdir(execDir)).map((name) => join(execDir, name));
  } catch {
    return [];
  }
  if (sessions.length === 0) return [];
  const inUse = await commandLinesMentioning(sessions);
  const stale = sessions.filter((dir) => !inUse.has(dir));
  for (const dir of stale) await rm(dir, { recursive: true, force: true });
  return stale;
}

/** Which of `dirs` appear as an argument (or argument prefix, `<dir>/…`) of some live process. */
async function commandLinesMentioning(dirs: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const argv = await readFile(`/proc/${entry}/cmdline`, 'utf8').then((t) => t.split('\0'), () => []);
    for (const dir of dirs) if (argv.some((a) => a === dir || a.startsWith(`${dir}/`))) found.add(dir);
  }
  return found;
}

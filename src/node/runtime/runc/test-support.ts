/**
 * Helpers shared by the root tests of the runc runtime (and usable by the agent's tests):
 * a failing check for required binaries, a busybox rootfs, and host-cleanliness probes.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, symlink } from 'node:fs/promises';
import { join } from 'node:path';

/** Throws (so the test fails, never skips) when a binary the root tests need is missing. */
export function requireBinaries(paths: string[]): void {
  const missing = paths.filter((p) => !existsSync(p));
  if (missing.length > 0) throw new Error(`root test needs ${missing.join(', ')} (apt-get install runc conmon busybox-static)`);
  if (process.getuid?.() !== 0) throw new Error('root test must run as root');
}

/** Applets the tests use; the busybox base image in images/ links all of them. */
const APPLETS = ['sh', 'echo', 'cat', 'sleep', 'id', 'pwd', 'awk', 'ls', 'env', 'true', 'false', 'tty', 'head', 'yes', 'mkdir', 'touch'];

/** Writes a minimal busybox root filesystem into `dir`. */
export async function makeBusyboxRootfs(dir: string, busybox = '/bin/busybox'): Promise<void> {
  for (const d of ['bin', 'proc', 'sys', 'dev', 'etc', 'tmp']) await mkdir(join(dir, d), { recursive: true });
  await copyFile(busybox, join(dir, 'bin/busybox'));
  for (const a of APPLETS) await symlink('busybox', join(dir, 'bin', a));
}

/** Pids of processes whose command line mentions `needle` (e.g. a run's data dir). */
export async function processesMentioning(needle: string): Promise<number[]> {
  const out: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmd = (await readFile(`/proc/${entry}/cmdline`, 'utf8')).replaceAll('\0', ' ');
      if (cmd.includes(needle)) out.push(Number(entry));
    } catch {
      // the process went away while we looked
    }
  }
  return out;
}

/** Mount points (from /proc/self/mountinfo) under `prefix`. */
export async function mountsUnder(prefix: string): Promise<string[]> {
  const text = await readFile('/proc/self/mountinfo', 'utf8');
  return text.split('\n').map((l) => l.split(' ')[4] ?? '').filter((m) => m.startsWith(prefix));
}

/** Container ids runc still knows in `root`. */
export function runcList(root: string): string[] {
  if (!existsSync(root)) return [];
  const out = execFileSync('/usr/sbin/runc', ['--root', root, 'list', '-q'], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l.trim() !== '');
}

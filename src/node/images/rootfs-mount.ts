/**
 * Gives a container its own writable root on top of a shared, read-only unpacked image: an
 * overlayfs mount (upper/work per container), or a full copy when overlay cannot be mounted
 * (e.g. a data dir on a filesystem overlay does not accept as upper).
 */
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mustRun } from '../launcher/run-command.ts';

/** How a container rootfs was made. */
export type RootfsMode = 'overlay' | 'copy';

/** Paths of one container's rootfs working dirs. */
export function containerRootfsDirs(containerDir: string): { upper: string; work: string; merged: string } {
  return { upper: join(containerDir, 'upper'), work: join(containerDir, 'work'), merged: join(containerDir, 'merged') };
}

/** True when `path` is a mount point (per /proc/self/mountinfo). */
export async function isMountPoint(path: string): Promise<boolean> {
  const info = await readFile('/proc/self/mountinfo', 'utf8');
  return info.split('\n').some((l) => l.split(' ')[4] === path);
}

/** Mounts overlay(lower) at `<containerDir>/merged`, or copies `lower` there if that fails. */
export async function mountContainerRootfs(lower: string, containerDir: string, allowOverlay = true): Promise<RootfsMode> {
  const d = containerRootfsDirs(containerDir);
  for (const p of [d.upper, d.work, d.merged]) await mkdir(p, { recursive: true });
  // Idempotent across agent restarts: an existing mount or finished copy is the container's state.
  if (await isMountPoint(d.merged)) return 'overlay';
  const copied = join(containerDir, 'copied');
  if (await stat(copied).then(() => true, () => false)) return 'copy';
  if (allowOverlay) {
    try {
      await mustRun('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${lower},upperdir=${d.upper},workdir=${d.work}`, d.merged]);
      return 'overlay';
    } catch {
      // fall through to the copy
    }
  }
  await mustRun('cp', ['-a', `${lower}/.`, d.merged]);
  await writeFile(copied, '');
  return 'copy';
}

/** Unmounts (if mounted) and deletes a container's rootfs dirs. Idempotent. */
export async function releaseContainerRootfs(containerDir: string): Promise<void> {
  const { merged } = containerRootfsDirs(containerDir);
  if (await isMountPoint(merged)) {
    try {
      await mustRun('umount', [merged]);
    } catch {
      await mustRun('umount', ['-l', merged]); // still busy: detach now, the kernel frees it when unused
    }
  }
  await rm(containerDir, { recursive: true, force: true });
}

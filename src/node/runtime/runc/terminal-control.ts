/**
 * Window sizes for a conmon-owned terminal. conmon reads `<type> <rows> <cols>\n` lines from the
 * `ctl` fifo in the bundle it was given (type 1 = resize; conmon src/ctrl.c) and applies them to
 * the pty master with TIOCSWINSZ, which also sends SIGWINCH to the foreground process group.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { TerminalSize } from '../container-runtime.ts';

const WIN_RESIZE_EVENT = 1;

/** Sends one size to conmon; false when no conmon reads the fifo any more (the session ended). */
export async function writeTerminalSize(bundle: string, size: TerminalSize): Promise<boolean> {
  if (!(size.width > 0 && size.height > 0)) return true; // kubectl sends 0x0 when it cannot tell; nothing to apply
  // O_NONBLOCK: opening a fifo nobody reads would otherwise block forever (ENXIO instead).
  const fh = await open(join(bundle, 'ctl'), constants.O_WRONLY | constants.O_NONBLOCK).catch(() => undefined);
  if (!fh) return false;
  try {
    await fh.write(`${WIN_RESIZE_EVENT} ${Math.floor(size.height)} ${Math.floor(size.width)}\n`);
    return true;
  } catch {
    return false;
  } finally {
    await fh.close();
  }
}

/** Applies every size from `sizes` until it ends or conmon has gone. */
export async function forwardTerminalSizes(bundle: string, sizes: AsyncIterable<TerminalSize>): Promise<void> {
  for await (const size of sizes) {
    if (!(await writeTerminalSize(bundle, size))) return;
  }
}

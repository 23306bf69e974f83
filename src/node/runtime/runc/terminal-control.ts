/**
 * Window sizes for a conmon-owned terminal. conmon reads `<type> <rows> <cols>\n` lines from the
 * `ctl` fifo in the bundle it was given (type 1 = resize; conmon src/ctrl.c) and applies them to
 * the pty master with TIOCSWINSZ, which also sends SIGWINCH to the foreground process group.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
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

/**
 * Gap between two writes to `ctl`. conmon 2.1.6 (Debian 12) mis-parses a read holding two lines:
 * it applies the first line twice and drops the second (fixed upstream later, "Fix terminal resize
 * event processing"). kubectl sends two sizes at once when it attaches (size+1, then the size), so
 * sizes are spaced out and only the newest waiting one is sent.
 */
const RESIZE_GAP_MS = 30;

/** Applies the sizes from `sizes`, newest first-come, until they end or conmon has gone. */
export async function forwardTerminalSizes(bundle: string, sizes: AsyncIterable<TerminalSize>): Promise<void> {
  const waiting: { size?: TerminalSize; ended: boolean; wake?: () => void } = { ended: false };
  const writer = (async () => {
    for (;;) {
      const size = waiting.size;
      if (!size) {
        if (waiting.ended) return;
        await new Promise<void>((resolve) => (waiting.wake = resolve));
        continue;
      }
      waiting.size = undefined;
      if (!(await writeTerminalSize(bundle, size))) return;
      await delay(RESIZE_GAP_MS);
    }
  })();
  for await (const size of sizes) {
    waiting.size = size;
    waiting.wake?.();
  }
  waiting.ended = true;
  waiting.wake?.();
  await writer;
}

/**
 * Serving one container log: the selected part of the file, then (follow) the lines appended
 * afterwards until the container exits or the client goes away. The file is polled rather than
 * watched: inotify on files written by another process (conmon) is unreliable across mounts.
 */
import { open } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import type { Clock } from '../../client/clock.ts';
import { CriLogDecoder, formatEntry, selectEntries, type LogEntry, type LogSelection } from './cri-log.ts';

export interface FollowOptions extends LogSelection {
  follow: boolean;
  /** False once the container has exited; polled between reads. */
  isRunning(): Promise<boolean>;
  clock: Clock;
  signal: AbortSignal;
  pollMs?: number;
}

/** Writes the log to `out` (without ending it); resolves when done. */
export async function streamLog(path: string, out: Writable, opts: FollowOptions): Promise<void> {
  const decoder = new CriLogDecoder();
  let offset = 0;
  let budget = opts.limitBytes ?? Number.POSITIVE_INFINITY;
  const emit = (entries: LogEntry[]): boolean => {
    for (const e of entries) {
      if (budget <= 0) return false;
      let bytes = Buffer.from(formatEntry(e, !!opts.timestamps), 'utf8');
      if (bytes.length > budget) bytes = bytes.subarray(0, budget);
      budget -= bytes.length;
      out.write(bytes);
    }
    return budget > 0;
  };
  const readMore = async (): Promise<LogEntry[]> => {
    const { text, bytes } = await readFrom(path, offset);
    offset += bytes;
    return decoder.push(text);
  };
  const first = await readMore();
  if (!opts.follow) {
    emit(selectEntries([...first, ...decoder.flush()], opts));
    return;
  }
  if (!emit(selectEntries(first, opts))) return;
  const since = opts.sinceTime?.getTime();
  while (!opts.signal.aborted) {
    const running = await opts.isRunning();
    const fresh = (await readMore()).filter((e) => since === undefined || e.timeMs >= since);
    if (!emit(fresh)) return;
    if (!running) {
      emit(decoder.flush());
      return;
    }
    await opts.clock.sleep(opts.pollMs ?? 250, opts.signal);
  }
}

/** Reads whole lines appended since `offset` (a trailing partial line is left for the next read). */
async function readFrom(path: string, offset: number): Promise<{ text: string; bytes: number }> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { text: '', bytes: 0 };
    throw err;
  }
  try {
    const { size } = await fh.stat();
    if (size <= offset) return { text: '', bytes: 0 };
    const buf = Buffer.alloc(size - offset);
    const { bytesRead } = await fh.read(buf, 0, buf.length, offset);
    const data = buf.subarray(0, bytesRead);
    const end = data.lastIndexOf(0x0a) + 1;
    return { text: data.subarray(0, end).toString('utf8'), bytes: end };
  } finally {
    await fh.close();
  }
}

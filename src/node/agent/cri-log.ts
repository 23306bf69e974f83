/**
 * Reading CRI-format container logs (`<RFC3339Nano time> <stdout|stderr> <P|F> <text>`, as conmon
 * writes them) back into what `kubectl logs` shows: partial lines joined, optional timestamps,
 * `tailLines`, `sinceTime`, `limitBytes`.
 */

/** Query options of a containerLogs request. */
export interface LogOptions {
  timestamps?: boolean;
  tailLines?: number;
  /** Only lines at or after this time (epoch ms). */
  sinceMs?: number;
  limitBytes?: number;
}

/** One complete log line. */
export interface LogLine {
  time: string;
  stream: 'stdout' | 'stderr';
  text: string;
}

/** Parses CRI log text into complete lines; a trailing partial line (no F yet) is kept in `rest`. */
export function parseCriLog(text: string): { lines: LogLine[]; rest: string } {
  const lines: LogLine[] = [];
  let pending: LogLine | undefined;
  const raw = text.split('\n');
  const rest = raw.pop() ?? '';
  for (const entry of raw) {
    const m = /^(\S+) (stdout|stderr) ([PF]) ?(.*)$/.exec(entry);
    if (!m) continue;
    const [, time = '', stream, tag, content = ''] = m;
    pending = pending ? { ...pending, text: pending.text + content } : { time, stream: stream as LogLine['stream'], text: content };
    if (tag === 'F') {
      lines.push(pending);
      pending = undefined;
    }
  }
  return { lines, rest };
}

/** The lines as `kubectl logs` prints them. */
export function renderLog(lines: LogLine[], opts: LogOptions): string {
  let selected = opts.sinceMs !== undefined ? lines.filter((l) => Date.parse(l.time) >= (opts.sinceMs ?? 0)) : lines;
  if (opts.tailLines !== undefined) selected = opts.tailLines <= 0 ? [] : selected.slice(-opts.tailLines);
  let out = selected.map((l) => `${opts.timestamps ? `${l.time} ` : ''}${l.text}\n`).join('');
  if (opts.limitBytes !== undefined) out = Buffer.from(out).subarray(0, opts.limitBytes).toString();
  return out;
}

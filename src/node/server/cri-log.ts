/**
 * Reading the CRI log format conmon writes: `<RFC3339Nano> <stdout|stderr> <F|P> <text>` per line,
 * where `P` marks a fragment of a longer line that continues in the next record and `F` ends it.
 * `kubectl logs` options map onto entries (whole lines): tailLines counts entries, sinceTime
 * compares the entry's first timestamp, timestamps prefixes it, limitBytes caps the output.
 */

export interface CriRecord {
  /** The timestamp exactly as written (RFC3339Nano). */
  time: string;
  stream: 'stdout' | 'stderr';
  partial: boolean;
  text: string;
}

/** One logical log line, fragments joined; `text` has no trailing newline. */
export interface LogEntry {
  time: string;
  timeMs: number;
  stream: 'stdout' | 'stderr';
  text: string;
}

export interface LogSelection {
  tailLines?: number;
  sinceTime?: Date;
  timestamps?: boolean;
  limitBytes?: number;
}

/** Parses one record; malformed lines (not written by a CRI runtime) give undefined. */
export function parseCriRecord(line: string): CriRecord | undefined {
  const a = line.indexOf(' ');
  const b = a < 0 ? -1 : line.indexOf(' ', a + 1);
  if (a <= 0 || b < 0) return undefined;
  const stream = line.slice(a + 1, b);
  if (stream !== 'stdout' && stream !== 'stderr') return undefined;
  const c = line.indexOf(' ', b + 1);
  const tag = c < 0 ? line.slice(b + 1) : line.slice(b + 1, c);
  if (tag !== 'F' && tag !== 'P') return undefined;
  return { time: line.slice(0, a), stream, partial: tag === 'P', text: c < 0 ? '' : line.slice(c + 1) };
}

/** Milliseconds of an RFC3339Nano time (sub-millisecond digits ignored). */
export function parseRfc3339Nano(time: string): number {
  return Date.parse(time.replace(/(\.\d{3})\d+/, '$1'));
}

/**
 * Turns a byte stream of CRI records into entries, keeping an unfinished line and an open
 * partial entry between calls (a followed file grows by arbitrary chunks).
 */
export class CriLogDecoder {
  private rest = '';
  private open = new Map<string, LogEntry>();

  push(chunk: string): LogEntry[] {
    const text = this.rest + chunk;
    const lines = text.split('\n');
    this.rest = lines.pop() ?? '';
    const out: LogEntry[] = [];
    for (const line of lines) {
      const r = parseCriRecord(line);
      if (!r) continue;
      const pending = this.open.get(r.stream);
      const entry = pending ?? { time: r.time, timeMs: parseRfc3339Nano(r.time), stream: r.stream, text: '' };
      entry.text += r.text;
      if (r.partial) this.open.set(r.stream, entry);
      else {
        this.open.delete(r.stream);
        out.push(entry);
      }
    }
    return out;
  }

  /** Entries still open when the log ended (a container killed mid-line). */
  flush(): LogEntry[] {
    const left = [...this.open.values()];
    this.open.clear();
    return left;
  }
}

/** Formats one entry as `kubectl logs` shows it. */
export function formatEntry(e: LogEntry, timestamps: boolean): string {
  return timestamps ? `${e.time} ${e.text}\n` : `${e.text}\n`;
}

/** Applies since and tail to a complete set of entries. */
export function selectEntries(entries: LogEntry[], sel: LogSelection): LogEntry[] {
  const since = sel.sinceTime?.getTime();
  let chosen = since === undefined ? entries : entries.filter((e) => e.timeMs >= since);
  if (sel.tailLines !== undefined && sel.tailLines >= 0) chosen = sel.tailLines === 0 ? [] : chosen.slice(-sel.tailLines);
  return chosen;
}

/** A whole log file's content rendered with the selection applied. */
export function renderLog(content: string, sel: LogSelection): string {
  const decoder = new CriLogDecoder();
  const entries = [...decoder.push(content.endsWith('\n') || content === '' ? content : `${content}\n`), ...decoder.flush()];
  const text = selectEntries(entries, sel).map((e) => formatEntry(e, !!sel.timestamps)).join('');
  return limit(text, sel.limitBytes);
}

/** Cuts text to at most `limitBytes` UTF-8 bytes. */
export function limit(text: string, limitBytes: number | undefined): string {
  if (limitBytes === undefined) return text;
  const bytes = Buffer.from(text, 'utf8');
  return bytes.length <= limitBytes ? text : bytes.subarray(0, Math.max(0, limitBytes)).toString('utf8');
}

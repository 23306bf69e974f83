/**
 * Reader of conmon's sync pipe with `--api-version 1`: newline-separated JSON objects
 * `{"data": N}` or `{"data": N, "message": "..."}` (conmon src/parent_pipe_fd.c). An exec
 * session sends two: the exec'd pid (or a negative value and runc's error), then the exit status.
 */
import type { Readable } from 'node:stream';

/** One message from conmon. */
export interface SyncMessage {
  data: number;
  message?: string;
}

/** Queues the messages of one sync pipe; `next()` rejects once the pipe has closed with none left. */
export class SyncMessages {
  private readonly messages: SyncMessage[] = [];
  private readonly waiting: Array<{ resolve: (m: SyncMessage) => void; reject: (e: Error) => void }> = [];
  private buffer = '';
  private closed = false;

  constructor(stream: Readable) {
    stream.on('data', (d: Buffer) => this.push(d.toString()));
    stream.on('error', () => this.close());
    stream.on('close', () => this.close());
  }

  next(): Promise<SyncMessage> {
    const m = this.messages.shift();
    if (m) return Promise.resolve(m);
    if (this.closed) return Promise.reject(new Error('conmon closed its sync pipe without reporting'));
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  private push(text: string): void {
    this.buffer += text;
    for (let nl = this.buffer.indexOf('\n'); nl >= 0; nl = this.buffer.indexOf('\n')) {
      const line = this.buffer.slice(0, nl).trim();
      this.buffer = this.buffer.slice(nl + 1);
      if (line) this.deliver(parseLine(line));
    }
  }

  private deliver(m: SyncMessage): void {
    const w = this.waiting.shift();
    if (w) w.resolve(m);
    else this.messages.push(m);
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const w of this.waiting.splice(0)) w.reject(new Error('conmon closed its sync pipe without reporting'));
  }
}

function parseLine(line: string): SyncMessage {
  try {
    const o = JSON.parse(line) as { data?: unknown; message?: unknown };
    const data = typeof o.data === 'number' ? o.data : -1;
    return { data, message: typeof o.message === 'string' ? o.message : undefined };
  } catch {
    return { data: -1, message: `unreadable conmon message: ${line}` };
  }
}

/**
 * exec and attach, independent of the transport: the WebSocket and SPDY adapters hand over the
 * client's streams, this runs the command through the runtime and returns the Status to report.
 */
import type { Readable, Writable } from 'node:stream';
import type { Clock } from '../../client/clock.ts';
import type { ContainerRuntime, ExecOptions } from '../runtime/container-runtime.ts';
import { streamLog } from './log-follow.ts';
import { exitStatus, failureStatus, type TerminalSize } from './stream-protocol.ts';

/** The client's side of one exec/attach, as the transport adapters present it. */
export interface CommandStreams {
  stdin?: Readable;
  stdout?: Writable;
  stderr?: Writable;
  /** Terminal sizes sent by the client (tty only); ends with the session. */
  resizes?: AsyncIterable<TerminalSize>;
  /** Aborted when the client goes away. */
  signal: AbortSignal;
}

/** Optional runtime capability: connect to the container's main process stdio. */
export interface AttachCapable {
  attach(id: string, options: ExecOptions): Promise<void>;
}

export interface CommandTarget {
  runtime: ContainerRuntime;
  containerId: string;
  tty: boolean;
  clock: Clock;
}

/** Runs `command` in the container; resolves to the Status for the error channel. */
export async function runExec(t: CommandTarget, command: string[], s: CommandStreams): Promise<Record<string, unknown>> {
  if (command.length === 0) return failureStatus('you must specify at least one command for the container');
  try {
    const options: ExecOptions = { tty: t.tty, stdin: s.stdin, stdout: s.stdout, stderr: t.tty ? undefined : s.stderr, signal: s.signal, terminalSizes: s.resizes };
    const code = await t.runtime.exec(t.containerId, command, options);
    return exitStatus(code, command);
  } catch (err) {
    return failureStatus(`error executing command in container: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function canAttach(r: ContainerRuntime): r is ContainerRuntime & AttachCapable {
  return typeof (r as Partial<AttachCapable>).attach === 'function';
}

/**
 * Attaches to the main process. Without an attach-capable runtime this degrades to a read-only
 * attach: new output (from the container's log) is streamed until the container exits.
 */
export async function runAttach(t: CommandTarget, s: CommandStreams): Promise<Record<string, unknown>> {
  try {
    if (canAttach(t.runtime)) {
      await t.runtime.attach(t.containerId, { tty: t.tty, stdin: s.stdin, stdout: s.stdout, stderr: s.stderr, signal: s.signal, terminalSizes: s.resizes });
      return exitStatus(0);
    }
    if (s.stdout) {
      const running = async () => (await t.runtime.containerStatus(t.containerId)).state === 'running';
      await streamLog(t.runtime.logPath(t.containerId), s.stdout, { follow: true, tailLines: 0, isRunning: running, clock: t.clock, signal: s.signal });
    }
    return exitStatus(0);
  } catch (err) {
    return failureStatus(`error attaching to container: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** An async queue of terminal sizes fed by a transport; iteration ends at close(). */
export class SizeQueue implements AsyncIterable<TerminalSize> {
  private items: TerminalSize[] = [];
  private waiting: Array<(r: IteratorResult<TerminalSize>) => void> = [];
  private closed = false;

  push(size: TerminalSize): void {
    const w = this.waiting.shift();
    if (w) w({ value: size, done: false });
    else this.items.push(size);
  }

  close(): void {
    this.closed = true;
    for (const w of this.waiting.splice(0)) w({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterator<TerminalSize> {
    return {
      next: () => {
        const item = this.items.shift();
        if (item) return Promise.resolve({ value: item, done: false });
        if (this.closed) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => this.waiting.push(resolve));
      },
    };
  }
}

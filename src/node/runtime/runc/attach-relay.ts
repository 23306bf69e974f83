/**
 * A connection to a conmon attach socket. The socket is SOCK_SEQPACKET, which Node cannot open, so
 * `attach-relay.pl` (perl-base is always on Debian) holds it and maps it onto plain pipes:
 * relay stdin → container input, relay stdout/stderr ← the container's streams.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Readable, Writable } from 'node:stream';

const RELAY_SCRIPT = fileURLToPath(new URL('./attach-relay.pl', import.meta.url));
const PERL = '/usr/bin/perl';

/** Where to connect and what to wire to the relay's stdio. */
export interface RelayOptions {
  /** Directory holding the socket; the relay runs there and connects to the relative name. */
  dir: string;
  socketName?: string;
  /** Client input; when absent the relay leaves the container's stdin alone. */
  stdin?: Readable;
  stdout?: Writable;
  stderr?: Writable;
}

/** A running relay. */
export interface AttachRelay {
  /** Resolves once conmon has the connection queued; rejects with the relay's reason otherwise. */
  connected: Promise<void>;
  /** Resolves when conmon closed the socket (the process ended and its output was drained) or the relay was stopped. */
  done: Promise<void>;
  stop(): void;
}

/** Starts a relay to `<dir>/<socketName>`. */
export function startAttachRelay(options: RelayOptions): AttachRelay {
  const args = [RELAY_SCRIPT, options.socketName ?? 'attach', ...(options.stdin ? [] : ['no-stdin'])];
  const child = spawn(PERL, args, {
    cwd: options.dir,
    stdio: [options.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe', 'pipe'],
  });
  const done = new Promise<void>((resolve) => {
    child.on('error', () => resolve());
    child.on('close', () => resolve());
  });
  wireStreams(child, options);
  return { connected: readConnected(child), done, stop: () => void child.kill('SIGKILL') };
}

function wireStreams(child: ChildProcess, options: RelayOptions): void {
  if (options.stdin && child.stdin) {
    const input = child.stdin;
    input.on('error', () => undefined); // the relay may be gone before all input was written
    options.stdin.pipe(input);
  }
  child.stdout?.on('data', (d: Buffer) => options.stdout?.write(d));
  child.stderr?.on('data', (d: Buffer) => options.stderr?.write(d));
}

function readConnected(child: ChildProcess): Promise<void> {
  const status = child.stdio[3] as Readable;
  return new Promise((resolve, reject) => {
    let text = '';
    status.on('data', (d: Buffer) => {
      text += d.toString();
      if (text.includes('connected\n')) resolve();
    });
    status.on('close', () => reject(new Error(`attach relay: ${text.trim() || 'exited before connecting'}`)));
    child.on('error', (e) => reject(new Error(`attach relay: cannot run ${PERL}: ${e.message}`)));
  });
}

/**
 * exec/attach over SPDY/3.1 (kubectl ≤ 1.29, and the fallback of newer ones): the client opens one
 * stream per `streamtype` (error, stdin, stdout, stderr, resize). Once all the streams the request
 * asked for exist, the command runs; stdout/stderr are half-closed, the Status goes on `error`.
 */
import type { Duplex } from 'node:stream';
import type { CommandStreams } from './remote-command.ts';
import { SizeQueue } from './remote-command.ts';
import { SpdySession, type SpdyStream } from './spdy/session.ts';
import { ResizeDecoder } from './stream-protocol.ts';
import type { WantedStreams } from './ws-command.ts';

/** How long the client gets to open its streams, as the kubelet's default. */
const STREAM_CREATION_TIMEOUT_MS = 30_000;

function expectedTypes(want: WantedStreams): string[] {
  const types = ['error'];
  if (want.stdin) types.push('stdin');
  if (want.stdout) types.push('stdout');
  if (want.stderr && !want.tty) types.push('stderr');
  if (want.tty) types.push('resize');
  return types;
}

/** Serves one SPDY exec/attach session on an upgraded connection. */
export async function serveSpdyCommand(
  transport: Duplex,
  want: WantedStreams,
  run: (streams: CommandStreams) => Promise<Record<string, unknown>>,
  log?: (msg: string, fields?: Record<string, unknown>) => void,
): Promise<void> {
  const abort = new AbortController();
  const streams = new Map<string, SpdyStream>();
  const expected = expectedTypes(want);
  let ready: () => void = () => undefined;
  const allThere = new Promise<void>((resolve) => (ready = resolve));
  const session = new SpdySession(transport, {
    onStream(stream) {
      const type = stream.headers.streamtype ?? '';
      streams.set(type, stream);
      if (expected.every((t) => streams.has(t))) ready();
    },
    onClose: () => abort.abort(),
    log,
  });
  const timer = setTimeout(() => abort.abort(), STREAM_CREATION_TIMEOUT_MS);
  await Promise.race([allThere, new Promise((resolve) => abort.signal.addEventListener('abort', resolve, { once: true }))]);
  clearTimeout(timer);
  if (abort.signal.aborted) {
    log?.('spdy exec: streams not created', { have: [...streams.keys()], expected });
    session.close();
    return;
  }
  const sizes = want.tty ? new SizeQueue() : undefined;
  const resize = streams.get('resize');
  if (resize && sizes) {
    const decoder = new ResizeDecoder();
    resize.on('data', (d: Buffer) => decoder.push(d).forEach((s) => sizes.push(s)));
    resize.once('end', () => sizes.close());
  }
  const stdout = streams.get('stdout');
  const stderr = streams.get('stderr');
  const status = await run({ stdin: streams.get('stdin'), stdout, stderr, resizes: sizes, signal: abort.signal });
  sizes?.close();
  stdout?.end();
  stderr?.end();
  streams.get('error')?.end(JSON.stringify(status));
  // Let the FINs leave before GOAWAY ends the connection.
  setImmediate(() => session.close());
}

/**
 * exec/attach over the WebSocket channel protocol (v4/v5): each binary message is a channel byte
 * plus payload; stdout/stderr go out on 1/2, the final Status on 3, then a normal close. v5 adds
 * channel 255, whose payload names a stream the client closed (`[255, 0]` = stdin EOF).
 */
import { PassThrough, Writable } from 'node:stream';
import type { WebSocket } from 'ws';
import type { CommandStreams } from './remote-command.ts';
import { SizeQueue } from './remote-command.ts';
import { Channel, decodeChannelMessage, encodeChannelMessage, ResizeDecoder, WS_V5 } from './stream-protocol.ts';

export interface WantedStreams {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

function channelWriter(ws: WebSocket, channel: number): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, cb) {
      if (ws.readyState !== ws.OPEN) return cb();
      ws.send(encodeChannelMessage(channel, chunk), { binary: true }, () => cb());
    },
  });
}

/** Runs `run` with the socket's streams, then reports its Status and closes the socket. */
export async function serveWebSocketCommand(
  ws: WebSocket,
  protocol: string,
  want: WantedStreams,
  run: (streams: CommandStreams) => Promise<Record<string, unknown>>,
): Promise<void> {
  const abort = new AbortController();
  const stdin = want.stdin ? new PassThrough() : undefined;
  const sizes = want.tty ? new SizeQueue() : undefined;
  const resize = new ResizeDecoder();
  ws.on('message', (raw: Buffer | ArrayBuffer | Buffer[]) => {
    const m = decodeChannelMessage(Buffer.isBuffer(raw) ? raw : Array.isArray(raw) ? Buffer.concat(raw) : Buffer.from(raw));
    if (!m) return;
    if (m.channel === Channel.stdin && stdin && !stdin.writableEnded) stdin.write(m.data);
    else if (m.channel === Channel.resize && sizes) for (const s of resize.push(m.data)) sizes.push(s);
    else if (m.channel === Channel.close && protocol === WS_V5 && m.data[0] === Channel.stdin) stdin?.end();
  });
  ws.once('close', () => {
    stdin?.end();
    sizes?.close();
    abort.abort();
  });
  const status = await run({
    stdin,
    stdout: want.stdout ? channelWriter(ws, Channel.stdout) : undefined,
    stderr: want.stderr && !want.tty ? channelWriter(ws, Channel.stderr) : undefined,
    resizes: sizes,
    signal: abort.signal,
  });
  sizes?.close();
  if (ws.readyState === ws.OPEN) {
    ws.send(encodeChannelMessage(Channel.error, JSON.stringify(status)), { binary: true });
    ws.close(1000);
  }
}

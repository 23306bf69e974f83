/**
 * The server side of a SPDY/3.1 session as Kubernetes streaming uses it: the client opens every
 * stream (SYN_STREAM with a `streamtype` header), the server answers each with an empty SYN_REPLY
 * and then both sides exchange DATA, half-closing with FIN. Incoming frames are handled strictly in
 * order because header blocks share one stateful zlib stream.
 */
import { Duplex } from 'node:stream';
import { encodeFrame, FLAG_FIN, FrameReader, RST_CANCEL, RST_INVALID_STREAM, RST_PROTOCOL_ERROR, type SpdyFrame } from './frames.ts';
import { HeaderCompressor, HeaderDecompressor, type SpdyHeaders } from './header-block.ts';

/** Our DATA frames stay well below the 16 MiB limit so one stream cannot starve the others. */
const MAX_DATA_FRAME = 32 * 1024;

export interface SpdySessionOptions {
  /** A stream the peer opened, after our SYN_REPLY was sent. */
  onStream(stream: SpdyStream): void;
  /** The session ended (GOAWAY, transport closed or protocol error). */
  onClose?(): void;
  log?: (msg: string, fields?: Record<string, unknown>) => void;
}

/** One SPDY stream as a Node duplex: reading yields the peer's DATA, writing sends ours, end() sends FIN. */
export class SpdyStream extends Duplex {
  private remoteClosed = false;
  private localClosed = false;
  private quiet = false;

  constructor(
    private readonly session: SpdySession,
    readonly id: number,
    readonly headers: SpdyHeaders,
  ) {
    super({ allowHalfOpen: true });
    this.once('end', () => {
      this.remoteClosed = true;
      this.settle();
    });
    this.once('finish', () => {
      this.localClosed = true;
      this.settle();
    });
  }

  override _read(): void {
    // Data is pushed as frames arrive (the peer does no flow control), so there is nothing to pull.
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.session.sendData(this.id, chunk, false, cb);
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.session.sendData(this.id, Buffer.alloc(0), true, cb);
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    if (!this.quiet && !(this.remoteClosed && this.localClosed)) this.session.reset(this.id, RST_CANCEL);
    this.session.forget(this.id);
    cb(err);
  }

  /** @internal Ends the stream as the session goes away: FIN if still open for writing, no RST. */
  finishQuietly(): void {
    this.quiet = true;
    if (!this.localClosed && !this.writableEnded) this.session.sendData(this.id, Buffer.alloc(0), true, () => undefined);
    this.destroy();
  }

  /** Peer's DATA or FIN (called by the session). */
  deliver(data: Buffer, fin: boolean): void {
    if (data.length) this.push(data);
    if (fin) this.push(null);
  }

  private settle(): void {
    if (this.remoteClosed && this.localClosed) this.session.forget(this.id);
  }
}

/** A SPDY/3.1 server session over any byte duplex (a TLS socket, or a WebSocket tunnel). */
export class SpdySession {
  private readonly streams = new Map<number, SpdyStream>();
  private readonly reader = new FrameReader();
  private readonly compressor = new HeaderCompressor();
  private readonly decompressor = new HeaderDecompressor();
  private inbound: Promise<void> = Promise.resolve();
  private lastGoodStreamId = 0;
  private closed = false;
  private closing = false;

  constructor(
    private readonly transport: Duplex,
    private readonly opts: SpdySessionOptions,
  ) {
    transport.on('data', (chunk: Buffer) => this.receive(chunk));
    transport.once('end', () => this.close());
    transport.once('close', () => this.close());
    transport.on('error', (err: Error) => {
      opts.log?.('spdy transport error', { err: err.message });
      this.close();
    });
  }

  /** Sends GOAWAY, resets open streams and ends the transport. Idempotent. */
  close(): void {
    if (this.closed || this.closing) return;
    this.closing = true;
    for (const s of [...this.streams.values()]) s.finishQuietly();
    if (this.transport.writable) this.transport.write(encodeFrame({ type: 'goAway', lastGoodStreamId: this.lastGoodStreamId, status: 0 }));
    this.closed = true;
    this.streams.clear();
    this.transport.end();
    this.compressor.close();
    this.decompressor.close();
    this.opts.onClose?.();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** @internal Writes DATA frames for a stream, calling back once the transport accepted them. */
  sendData(streamId: number, data: Buffer, fin: boolean, cb: (err?: Error | null) => void): void {
    if (this.closed || !this.transport.writable) return cb();
    let ok = true;
    for (let at = 0; at < data.length || (at === 0 && fin); at += MAX_DATA_FRAME) {
      const piece = data.subarray(at, at + MAX_DATA_FRAME);
      const last = at + MAX_DATA_FRAME >= data.length;
      ok = this.transport.write(encodeFrame({ type: 'data', streamId, flags: fin && last ? FLAG_FIN : 0, data: piece }));
      if (data.length === 0) break;
    }
    if (ok) cb();
    else this.transport.once('drain', () => cb());
  }

  /** @internal */
  reset(streamId: number, status: number): void {
    if (!this.closed && this.transport.writable) this.transport.write(encodeFrame({ type: 'rstStream', streamId, status }));
  }

  /** @internal */
  forget(streamId: number): void {
    this.streams.delete(streamId);
  }

  private receive(chunk: Buffer): void {
    let frames: SpdyFrame[];
    try {
      frames = this.reader.push(chunk);
    } catch (err) {
      this.opts.log?.('spdy protocol error', { err: (err as Error).message });
      this.close();
      return;
    }
    for (const f of frames) {
      this.inbound = this.inbound.then(() => this.handle(f)).catch((err: unknown) => {
        this.opts.log?.('spdy frame failed', { err: err instanceof Error ? err.message : String(err) });
        this.close();
      });
    }
  }

  private async handle(f: SpdyFrame): Promise<void> {
    if (this.closed) return;
    switch (f.type) {
      case 'synStream':
        return this.openStream(f.streamId, await this.decompressor.decompress(f.headerBlock), (f.flags & FLAG_FIN) !== 0);
      case 'synReply':
      case 'headers':
        await this.decompressor.decompress(f.headerBlock); // keeps the shared zlib state in step
        return;
      case 'data':
        return this.onData(f.streamId, f.data, (f.flags & FLAG_FIN) !== 0);
      case 'rstStream':
        this.streams.get(f.streamId)?.destroy();
        return;
      case 'ping':
        this.transport.write(encodeFrame({ type: 'ping', id: f.id }));
        return;
      case 'goAway':
        this.close();
        return;
      default:
        return; // SETTINGS, WINDOW_UPDATE: we never throttle our sends, so nothing to track
    }
  }

  private async openStream(id: number, headers: SpdyHeaders, fin: boolean): Promise<void> {
    if (this.streams.has(id) || id % 2 === 0) {
      this.reset(id, RST_PROTOCOL_ERROR);
      return;
    }
    this.lastGoodStreamId = id;
    const stream = new SpdyStream(this, id, headers);
    this.streams.set(id, stream);
    const block = await this.compressor.compress({});
    if (this.closed) return;
    this.transport.write(encodeFrame({ type: 'synReply', streamId: id, flags: 0, headerBlock: block }));
    if (fin) stream.deliver(Buffer.alloc(0), true);
    this.opts.onStream(stream);
  }

  private onData(id: number, data: Buffer, fin: boolean): void {
    const stream = this.streams.get(id);
    if (!stream) {
      this.reset(id, RST_INVALID_STREAM);
      return;
    }
    // No WINDOW_UPDATE: Kubernetes' SPDY peer (moby/spdystream) implements no flow control.
    stream.deliver(data, fin);
  }
}

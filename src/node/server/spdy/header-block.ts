/**
 * SPDY/3 header blocks: a count of name/value pairs, each a 32-bit length-prefixed string, the
 * whole block compressed by ONE zlib stream per direction for the life of the session (primed
 * with the SPDY dictionary, sync-flushed after each block). Because the stream is stateful, every
 * block must pass through the codec in wire order, including blocks of frames we otherwise ignore.
 */
import { constants, createDeflate, createInflate, type Deflate, type Inflate } from 'node:zlib';
import { SPDY3_DICTIONARY } from './dictionary.ts';

/** Header names are lower-case; several values of one name are joined with NUL on the wire. */
export type SpdyHeaders = Record<string, string>;

export function encodeHeaderBlock(headers: SpdyHeaders): Buffer {
  const entries = Object.entries(headers);
  const parts: Buffer[] = [u32(entries.length)];
  for (const [name, value] of entries) {
    const n = Buffer.from(name.toLowerCase(), 'utf8');
    const v = Buffer.from(value, 'utf8');
    parts.push(u32(n.length), n, u32(v.length), v);
  }
  return Buffer.concat(parts);
}

export function decodeHeaderBlock(block: Buffer): SpdyHeaders {
  const headers: SpdyHeaders = {};
  if (block.length < 4) throw new Error('spdy: header block too short');
  const count = block.readUInt32BE(0);
  let at = 4;
  const take = (): string => {
    if (at + 4 > block.length) throw new Error('spdy: truncated header block');
    const len = block.readUInt32BE(at);
    at += 4;
    if (at + len > block.length) throw new Error('spdy: truncated header block');
    const s = block.toString('utf8', at, at + len);
    at += len;
    return s;
  };
  for (let i = 0; i < count; i++) {
    const name = take();
    headers[name.toLowerCase()] = take();
  }
  return headers;
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n, 0);
  return b;
}

/** Runs one zlib transform in sync-flush steps, one at a time in call order. */
class FlushingCodec {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly z: Deflate | Inflate) {
    z.on('error', () => undefined); // surfaced through the pending step instead
  }

  run(input: Buffer): Promise<Buffer> {
    const step = this.tail.then(
      () =>
        new Promise<Buffer>((resolve, reject) => {
          const onError = (err: Error) => reject(err);
          this.z.once('error', onError);
          this.z.write(input);
          this.z.flush(constants.Z_SYNC_FLUSH, () => {
            this.z.removeListener('error', onError);
            const out: Buffer[] = [];
            for (let chunk = this.z.read() as Buffer | null; chunk; chunk = this.z.read() as Buffer | null) out.push(chunk);
            resolve(Buffer.concat(out));
          });
        }),
    );
    this.tail = step.catch(() => undefined);
    return step;
  }

  close(): void {
    this.z.destroy();
  }
}

const BIG = 1 << 24; // header blocks are small; a big buffer keeps zlib from pausing mid-flush

/** The compressing side of a session's header blocks. */
export class HeaderCompressor {
  private readonly codec = new FlushingCodec(createDeflate({ dictionary: SPDY3_DICTIONARY, readableHighWaterMark: BIG } as object));

  compress(headers: SpdyHeaders): Promise<Buffer> {
    return this.codec.run(encodeHeaderBlock(headers));
  }

  close(): void {
    this.codec.close();
  }
}

/** The decompressing side of a session's header blocks. */
export class HeaderDecompressor {
  private readonly codec = new FlushingCodec(createInflate({ dictionary: SPDY3_DICTIONARY, readableHighWaterMark: BIG } as object));

  async decompress(block: Buffer): Promise<SpdyHeaders> {
    return decodeHeaderBlock(await this.codec.run(block));
  }

  close(): void {
    this.codec.close();
  }
}

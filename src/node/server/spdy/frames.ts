/**
 * SPDY/3.1 frame layout (draft 3.1 §2.2): control frames start with the control bit, version 3
 * and a type; data frames with a 31-bit stream id. Both carry 8 bits of flags and a 24-bit
 * length. Header blocks stay compressed here; the session runs them through its zlib streams.
 */
export const SPDY_VERSION = 3;
export const FLAG_FIN = 0x01;
export const FLAG_UNIDIRECTIONAL = 0x02;

export const FrameType = { SynStream: 1, SynReply: 2, RstStream: 3, Settings: 4, Ping: 6, GoAway: 7, Headers: 8, WindowUpdate: 9 } as const;
type FrameTypeCode = (typeof FrameType)[keyof typeof FrameType];

/** RST_STREAM status codes we send. */
export const RST_PROTOCOL_ERROR = 1;
export const RST_INVALID_STREAM = 2;
export const RST_REFUSED_STREAM = 3;
export const RST_CANCEL = 5;

export type SpdyFrame =
  | { type: 'data'; streamId: number; flags: number; data: Buffer }
  | { type: 'synStream'; streamId: number; associatedId: number; priority: number; flags: number; headerBlock: Buffer }
  | { type: 'synReply'; streamId: number; flags: number; headerBlock: Buffer }
  | { type: 'headers'; streamId: number; flags: number; headerBlock: Buffer }
  | { type: 'rstStream'; streamId: number; status: number }
  | { type: 'settings'; flags: number; entries: Array<{ flags: number; id: number; value: number }> }
  | { type: 'ping'; id: number }
  | { type: 'goAway'; lastGoodStreamId: number; status: number }
  | { type: 'windowUpdate'; streamId: number; delta: number }
  | { type: 'unknown'; frameType: number };

const MASK31 = 0x7fffffff;

function control(type: FrameTypeCode, flags: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt16BE(0x8000 | SPDY_VERSION, 0);
  head.writeUInt16BE(type, 2);
  head.writeUInt32BE(((flags & 0xff) << 24) | payload.length, 4);
  return Buffer.concat([head, payload]);
}

function words(...values: number[]): Buffer {
  const b = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => b.writeUInt32BE(v >>> 0, i * 4));
  return b;
}

/** Serialises one frame; header blocks must already be compressed. */
export function encodeFrame(f: SpdyFrame): Buffer {
  switch (f.type) {
    case 'data': {
      const head = Buffer.alloc(8);
      head.writeUInt32BE(f.streamId & MASK31, 0);
      head.writeUInt32BE(((f.flags & 0xff) << 24) | f.data.length, 4);
      return Buffer.concat([head, f.data]);
    }
    case 'synStream': {
      const fixed = Buffer.alloc(10);
      fixed.writeUInt32BE(f.streamId & MASK31, 0);
      fixed.writeUInt32BE(f.associatedId & MASK31, 4);
      fixed.writeUInt8((f.priority & 0x7) << 5, 8);
      return control(FrameType.SynStream, f.flags, Buffer.concat([fixed, f.headerBlock]));
    }
    case 'synReply':
      return control(FrameType.SynReply, f.flags, Buffer.concat([words(f.streamId & MASK31), f.headerBlock]));
    case 'headers':
      return control(FrameType.Headers, f.flags, Buffer.concat([words(f.streamId & MASK31), f.headerBlock]));
    case 'rstStream':
      return control(FrameType.RstStream, 0, words(f.streamId & MASK31, f.status));
    case 'settings': {
      const body = Buffer.alloc(4 + f.entries.length * 8);
      body.writeUInt32BE(f.entries.length, 0);
      f.entries.forEach((e, i) => {
        body.writeUInt32BE(((e.flags & 0xff) << 24) | (e.id & 0xffffff), 4 + i * 8);
        body.writeUInt32BE(e.value >>> 0, 8 + i * 8);
      });
      return control(FrameType.Settings, f.flags, body);
    }
    case 'ping':
      return control(FrameType.Ping, 0, words(f.id));
    case 'goAway':
      return control(FrameType.GoAway, 0, words(f.lastGoodStreamId & MASK31, f.status));
    case 'windowUpdate':
      return control(FrameType.WindowUpdate, 0, words(f.streamId & MASK31, f.delta & MASK31));
    case 'unknown':
      throw new Error(`spdy: cannot encode unknown frame type ${f.frameType}`);
  }
}

function decodeControl(type: number, flags: number, p: Buffer): SpdyFrame {
  const need = (n: number) => {
    if (p.length < n) throw new Error(`spdy: control frame type ${type} too short (${p.length} bytes)`);
  };
  switch (type) {
    case FrameType.SynStream:
      need(10);
      return { type: 'synStream', streamId: p.readUInt32BE(0) & MASK31, associatedId: p.readUInt32BE(4) & MASK31, priority: p.readUInt8(8) >> 5, flags, headerBlock: p.subarray(10) };
    case FrameType.SynReply:
      need(4);
      return { type: 'synReply', streamId: p.readUInt32BE(0) & MASK31, flags, headerBlock: p.subarray(4) };
    case FrameType.Headers:
      need(4);
      return { type: 'headers', streamId: p.readUInt32BE(0) & MASK31, flags, headerBlock: p.subarray(4) };
    case FrameType.RstStream:
      need(8);
      return { type: 'rstStream', streamId: p.readUInt32BE(0) & MASK31, status: p.readUInt32BE(4) };
    case FrameType.Settings: {
      need(4);
      const count = p.readUInt32BE(0);
      need(4 + count * 8);
      const entries = Array.from({ length: count }, (_, i) => {
        const head = p.readUInt32BE(4 + i * 8);
        return { flags: head >>> 24, id: head & 0xffffff, value: p.readUInt32BE(8 + i * 8) };
      });
      return { type: 'settings', flags, entries };
    }
    case FrameType.Ping:
      need(4);
      return { type: 'ping', id: p.readUInt32BE(0) };
    case FrameType.GoAway:
      need(8);
      return { type: 'goAway', lastGoodStreamId: p.readUInt32BE(0) & MASK31, status: p.readUInt32BE(4) };
    case FrameType.WindowUpdate:
      need(8);
      return { type: 'windowUpdate', streamId: p.readUInt32BE(0) & MASK31, delta: p.readUInt32BE(4) & MASK31 };
    default:
      return { type: 'unknown', frameType: type };
  }
}

/** Cuts a byte stream into frames; feed it chunks as they arrive. */
export class FrameReader {
  private buffer: Buffer = Buffer.alloc(0);

  /** Returns every frame completed by `chunk`; a partial frame stays buffered. */
  push(chunk: Buffer): SpdyFrame[] {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    const frames: SpdyFrame[] = [];
    while (this.buffer.length >= 8) {
      const length = this.buffer.readUInt32BE(4) & 0xffffff;
      if (this.buffer.length < 8 + length) break;
      const first = this.buffer.readUInt32BE(0);
      const flags = this.buffer.readUInt8(4);
      const payload = Buffer.from(this.buffer.subarray(8, 8 + length));
      this.buffer = this.buffer.subarray(8 + length);
      if (first & 0x80000000) {
        const version = (first >>> 16) & 0x7fff;
        if (version !== SPDY_VERSION) throw new Error(`spdy: unsupported version ${version}`);
        frames.push(decodeControl(first & 0xffff, flags, payload));
      } else {
        frames.push({ type: 'data', streamId: first & MASK31, flags, data: payload });
      }
    }
    return frames;
  }
}

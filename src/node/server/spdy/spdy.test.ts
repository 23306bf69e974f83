import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { inflateSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { SPDY3_DICTIONARY } from './dictionary.ts';
import { encodeFrame, FLAG_FIN, FrameReader, type SpdyFrame } from './frames.ts';
import { decodeHeaderBlock, encodeHeaderBlock, HeaderCompressor, HeaderDecompressor } from './header-block.ts';
import { SpdySession, type SpdyStream } from './session.ts';

describe('SPDY/3.1 framing', () => {
  it('uses the draft-3 header dictionary byte for byte', () => {
    assert.equal(SPDY3_DICTIONARY.length, 1423);
    assert.equal(createHash('sha256').update(SPDY3_DICTIONARY).digest('hex'), '51d27341373f923f3cd88e1eb7162aeaa3723d7585ff2399201dc06498407f02');
  });

  it('round-trips every frame type, also when the bytes arrive one at a time', () => {
    const frames: SpdyFrame[] = [
      { type: 'synStream', streamId: 1, associatedId: 0, priority: 3, flags: FLAG_FIN, headerBlock: Buffer.from('hb') },
      { type: 'synReply', streamId: 1, flags: 0, headerBlock: Buffer.from('r') },
      { type: 'data', streamId: 3, flags: FLAG_FIN, data: Buffer.from('payload') },
      { type: 'data', streamId: 5, flags: 0, data: Buffer.alloc(0) },
      { type: 'rstStream', streamId: 7, status: 5 },
      { type: 'settings', flags: 0, entries: [{ flags: 1, id: 7, value: 65536 }] },
      { type: 'ping', id: 1 },
      { type: 'goAway', lastGoodStreamId: 9, status: 0 },
      { type: 'headers', streamId: 1, flags: 0, headerBlock: Buffer.from('h') },
      { type: 'windowUpdate', streamId: 1, delta: 1000 },
    ];
    const bytes = Buffer.concat(frames.map(encodeFrame));
    const reader = new FrameReader();
    const got: SpdyFrame[] = [];
    for (const b of bytes) got.push(...reader.push(Buffer.from([b])));
    assert.deepEqual(got, frames);
  });

  it('lays out a control frame header as the draft says', () => {
    const f = encodeFrame({ type: 'ping', id: 7 });
    assert.deepEqual([...f], [0x80, 0x03, 0x00, 0x06, 0x00, 0x00, 0x00, 0x04, 0, 0, 0, 7]);
  });

  it('compresses header blocks in one zlib stream primed with the dictionary', async () => {
    const c = new HeaderCompressor();
    const d = new HeaderDecompressor();
    const a = await c.compress({ streamtype: 'error', port: '80', requestid: '0' });
    const b = await c.compress({ streamtype: 'data', port: '80', requestid: '0' });
    assert.ok(b.length < a.length, 'the second block reuses the shared window');
    // A fresh zlib stream with the dictionary reads the first block on its own.
    const first = inflateSync(a, { dictionary: SPDY3_DICTIONARY, finishFlush: 2 });
    assert.deepEqual(decodeHeaderBlock(first), { streamtype: 'error', port: '80', requestid: '0' });
    assert.deepEqual(await d.decompress(a), { streamtype: 'error', port: '80', requestid: '0' });
    assert.deepEqual(await d.decompress(b), { streamtype: 'data', port: '80', requestid: '0' });
    assert.deepEqual(decodeHeaderBlock(encodeHeaderBlock({ 'X-Upper': 'v' })), { 'x-upper': 'v' });
    c.close();
    d.close();
  });

  it('serves client streams: SYN_REPLY, data both ways, FIN, PING echo', async () => {
    const wire = new PassThrough();
    const back = new PassThrough();
    const transport = Object.assign(new (await import('node:stream')).Duplex({
      read() {},
      write(chunk: Buffer, _e, cb) {
        back.write(chunk);
        cb();
      },
    }), {});
    wire.on('data', (c: Buffer) => transport.push(c));
    const opened: SpdyStream[] = [];
    new SpdySession(transport, { onStream: (s) => opened.push(s) });
    const client = new HeaderCompressor();
    const fromServer = new FrameReader();
    const received: SpdyFrame[] = [];
    back.on('data', (c: Buffer) => received.push(...fromServer.push(c)));
    wire.write(encodeFrame({ type: 'synStream', streamId: 1, associatedId: 0, priority: 0, flags: 0, headerBlock: await client.compress({ streamtype: 'stdin' }) }));
    wire.write(encodeFrame({ type: 'data', streamId: 1, flags: FLAG_FIN, data: Buffer.from('input') }));
    wire.write(encodeFrame({ type: 'ping', id: 1 }));
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(opened.length, 1);
    const s = opened[0] as SpdyStream;
    assert.equal(s.headers.streamtype, 'stdin');
    let input = '';
    s.on('data', (c: Buffer) => (input += c.toString()));
    await new Promise((r) => s.once('end', r));
    assert.equal(input, 'input');
    s.end('output');
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(received.map((f) => f.type), ['synReply', 'ping', 'data', 'data']);
    const data = received.filter((f): f is Extract<SpdyFrame, { type: 'data' }> => f.type === 'data');
    assert.equal(Buffer.concat(data.map((f) => f.data)).toString(), 'output');
    assert.equal((data.at(-1)?.flags ?? 0) & FLAG_FIN, FLAG_FIN);
    client.close();
  });
});

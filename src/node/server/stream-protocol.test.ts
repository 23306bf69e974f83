import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Channel, decodeChannelMessage, encodeChannelMessage, exitStatus, negotiate, ResizeDecoder, WS_V4, WS_V5 } from './stream-protocol.ts';

describe('WebSocket channel codec', () => {
  it('prefixes the channel byte and splits it off again', () => {
    const m = encodeChannelMessage(Channel.stderr, 'oops');
    assert.deepEqual([...m], [2, 0x6f, 0x6f, 0x70, 0x73]);
    assert.deepEqual(decodeChannelMessage(m), { channel: 2, data: Buffer.from('oops') });
    assert.deepEqual(decodeChannelMessage(Buffer.from([255, 0])), { channel: 255, data: Buffer.from([0]) });
    assert.equal(decodeChannelMessage(Buffer.alloc(0)), undefined);
  });

  it('reports exit codes as kubectl expects them', () => {
    assert.deepEqual(exitStatus(0), { metadata: {}, status: 'Success' });
    const failed = exitStatus(3, ['sh', '-c', 'exit 3']) as { reason: string; details: { causes: Array<{ reason: string; message: string }> } };
    assert.equal(failed.reason, 'NonZeroExitCode');
    assert.deepEqual(failed.details.causes, [{ reason: 'ExitCode', message: '3' }]);
  });

  it('negotiates the first protocol we support from an offer list', () => {
    assert.equal(negotiate('v5.channel.k8s.io,v4.channel.k8s.io', [WS_V5, WS_V4]), WS_V5);
    assert.equal(negotiate('v4.channel.k8s.io, v3.channel.k8s.io', [WS_V5, WS_V4]), WS_V4);
    assert.equal(negotiate('channel.k8s.io', [WS_V5, WS_V4]), undefined);
    assert.equal(negotiate(undefined, [WS_V5]), undefined);
  });

  it('decodes terminal sizes cut and joined arbitrarily', () => {
    const d = new ResizeDecoder();
    assert.deepEqual(d.push('{"Width":80,'), []);
    assert.deepEqual(d.push('"Height":24}{"Width":100,"Height":40}'), [{ width: 80, height: 24 }, { width: 100, height: 40 }]);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeMessage, DnsFormatError, encodeMessage, RRType, type DnsMessage } from './wire.ts';

const flags = { qr: true, opcode: 0, aa: true, tc: false, rd: true, ra: true, rcode: 0 };

describe('DNS wire codec', () => {
  it('round-trips every record type Minato writes', () => {
    const msg: DnsMessage = {
      id: 0xbeef,
      flags,
      questions: [{ name: 'web.shop.svc.cluster.local', type: RRType.A, class: 1 }],
      answers: [
        { name: 'web.shop.svc.cluster.local', class: 1, ttl: 5, type: 'A', address: '10.96.0.10' },
        { name: 'x.cluster.local', class: 1, ttl: 5, type: 'AAAA', address: 'fd00:0:0:0:0:0:0:1' },
        { name: 'e.shop.svc.cluster.local', class: 1, ttl: 5, type: 'CNAME', target: 'example.com' },
        { name: '_http._tcp.web.shop.svc.cluster.local', class: 1, ttl: 5, type: 'SRV', priority: 0, weight: 100, port: 80, target: 'web.shop.svc.cluster.local' },
        { name: 't.cluster.local', class: 1, ttl: 5, type: 'TXT', texts: ['a=b', 'c'] },
      ],
      authorities: [{ name: 'cluster.local', class: 1, ttl: 5, type: 'SOA', mname: 'ns.dns.cluster.local', rname: 'hostmaster.cluster.local', serial: 1, refresh: 7200, retry: 1800, expire: 86400, minimum: 5 }],
      additionals: [{ name: '', class: 4096, ttl: 0, type: 'RAW', code: RRType.OPT, data: Buffer.alloc(0) }],
    };
    const back = decodeMessage(encodeMessage(msg));
    assert.deepEqual({ ...back, answers: back.answers.map((a) => (a.type === 'AAAA' ? { ...a, address: 'fd00:0:0:0:0:0:0:1' } : a)) }, msg);
    assert.equal((back.answers[1] as { address: string }).address, 'fd00:0:0:0:0:0:0:1');
  });

  it('follows compression pointers when decoding', () => {
    // Answer for "a.example.com" whose owner is a pointer to the question name, and a CNAME target "b" + pointer to "example.com".
    const q = Buffer.from([1, 0x61, 7, ...Buffer.from('example'), 3, ...Buffer.from('com'), 0]); // at offset 12
    const answer = Buffer.from([0xc0, 12, 0, 5, 0, 1, 0, 0, 0, 60, 0, 4, 1, 0x62, 0xc0, 14]);
    const header = Buffer.from([0, 7, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0]);
    const msg = decodeMessage(Buffer.concat([header, q, Buffer.from([0, 1, 0, 1]), answer]));
    assert.equal(msg.questions[0]?.name, 'a.example.com');
    assert.deepEqual(msg.answers[0], { name: 'a.example.com', class: 1, ttl: 60, type: 'CNAME', target: 'b.example.com' });
  });

  it('rejects pointer loops, truncation and oversize labels', () => {
    const header = Buffer.from([0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
    assert.throws(() => decodeMessage(Buffer.concat([header, Buffer.from([0xc0, 12, 0, 1, 0, 1])])), DnsFormatError);
    assert.throws(() => decodeMessage(Buffer.concat([header, Buffer.from([3, 0x61])])), DnsFormatError);
    assert.throws(() => decodeMessage(header.subarray(0, 6)), DnsFormatError);
    assert.throws(() => encodeMessage({ id: 1, flags, questions: [{ name: `${'a'.repeat(64)}.x`, type: 1, class: 1 }], answers: [], authorities: [], additionals: [] }), DnsFormatError);
  });
});

import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { Resolver } from 'node:dns/promises';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { after, before, describe, it } from 'node:test';
import { FakeClock, realClock } from '../../../client/clock.ts';
import { ClusterResolver } from './cluster-resolver.ts';
import { ClusterDnsServer } from './dns-server.ts';
import { UdpForwarder, upstreamsFromResolvConf } from './forwarder.ts';
import { MemoryDnsRecords } from './records.ts';
import { resolvConf } from './resolv-conf.ts';
import { decodeMessage, encodeMessage, RCode, RRType, type DnsMessage } from './wire.ts';

function query(name: string, type: number, id = 42): Buffer {
  const flags = { qr: false, opcode: 0, aa: false, tc: false, rd: true, ra: false, rcode: 0 };
  return encodeMessage({ id, flags, questions: [{ name, type, class: 1 }], answers: [], authorities: [], additionals: [] });
}

function udpAsk(port: number, msg: Buffer): Promise<DnsMessage> {
  return new Promise((resolve, reject) => {
    const s = dgram.createSocket('udp4');
    s.on('message', (b) => (s.close(), resolve(decodeMessage(b))));
    s.on('error', reject);
    s.send(msg, port, '127.0.0.1');
  });
}

/** A stand-in upstream on loopback: answers every A query with 192.0.2.7, or stays silent. */
async function fakeUpstream(silent: boolean): Promise<dgram.Socket> {
  const s = dgram.createSocket('udp4');
  s.on('message', (b, r) => {
    if (silent) return;
    const q = decodeMessage(b);
    const reply: DnsMessage = { ...q, flags: { ...q.flags, qr: true, ra: true }, answers: [{ name: q.questions[0]?.name ?? '', class: 1, ttl: 60, type: 'A', address: '192.0.2.7' }] };
    s.send(encodeMessage(reply), r.port, r.address);
  });
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  return s;
}

describe('ClusterDnsServer', () => {
  const records = new MemoryDnsRecords();
  let server: ClusterDnsServer;
  let port = 0;
  let upstream: dgram.Socket;
  const resolver = new Resolver({ timeout: 2000, tries: 1 });

  before(async () => {
    records.set('shop', 'web', { clusterIP: '10.96.0.10', ports: [{ name: 'http', port: 80, protocol: 'TCP' }], endpoints: [] });
    records.set('shop', 'db', {
      clusterIP: 'None',
      ports: [{ name: 'mysql', port: 3306, protocol: 'TCP' }],
      endpoints: [
        { ip: '10.244.1.5', hostname: 'db-0', ready: true, ports: [{ name: 'mysql', port: 3307, protocol: 'TCP' }] },
        { ip: '10.244.1.6', hostname: 'db-1', ready: true },
        { ip: '10.244.1.7', hostname: 'db-2', ready: false },
      ],
    });
    records.set('shop', 'ext', { externalName: 'db.example.com', ports: [], endpoints: [] });
    records.set('shop', 'big', {
      clusterIP: 'None',
      ports: [],
      endpoints: Array.from({ length: 100 }, (_, i) => ({ ip: `10.244.2.${i + 1}`, ready: true })),
    });
    upstream = await fakeUpstream(false);
    server = new ClusterDnsServer({
      address: '127.0.0.1',
      port: 0,
      resolver: new ClusterResolver({ records }),
      forwarder: new UdpForwarder({ servers: [`127.0.0.1:${upstream.address().port}`], clock: realClock, timeoutMs: 1000 }),
    });
    port = (await server.start()).port;
    resolver.setServers([`127.0.0.1:${port}`]);
  });
  after(async () => {
    await server.stop();
    upstream.close();
  });

  it('answers A for a ClusterIP Service', async () => {
    assert.deepEqual(await resolver.resolve4('web.shop.svc.cluster.local'), ['10.96.0.10']);
    assert.deepEqual(await resolver.resolve4('WEB.shop.svc.cluster.local.'), ['10.96.0.10'], 'case-insensitive');
  });

  it('answers a headless Service with its ready endpoints, and per-pod hostnames', async () => {
    assert.deepEqual((await resolver.resolve4('db.shop.svc.cluster.local')).sort(), ['10.244.1.5', '10.244.1.6']);
    assert.deepEqual(await resolver.resolve4('db-0.db.shop.svc.cluster.local'), ['10.244.1.5']);
    await assert.rejects(resolver.resolve4('db-2.db.shop.svc.cluster.local'), { code: 'ENOTFOUND' }, 'not ready');
  });

  it('answers <ip-dashed>.<ns>.pod names', async () => {
    assert.deepEqual(await resolver.resolve4('10-244-1-9.shop.pod.cluster.local'), ['10.244.1.9']);
  });

  it('answers SRV for named ports (ClusterIP and headless)', async () => {
    assert.deepEqual(await resolver.resolveSrv('_http._tcp.web.shop.svc.cluster.local'), [{ name: 'web.shop.svc.cluster.local', port: 80, priority: 0, weight: 100 }]);
    const headless = (await resolver.resolveSrv('_mysql._tcp.db.shop.svc.cluster.local')).sort((a, b) => a.name.localeCompare(b.name));
    assert.deepEqual(headless.map((s) => [s.name, s.port]), [['db-0.db.shop.svc.cluster.local', 3307], ['db-1.db.shop.svc.cluster.local', 3306]]);
  });

  it('answers CNAME for ExternalName Services', async () => {
    assert.deepEqual(await resolver.resolveCname('ext.shop.svc.cluster.local'), ['db.example.com']);
  });

  it('NXDOMAIN with the SOA in authority for unknown cluster names; NODATA for other types', async () => {
    await assert.rejects(resolver.resolve4('nope.shop.svc.cluster.local'), { code: 'ENOTFOUND' });
    const raw = await udpAsk(port, query('nope.shop.svc.cluster.local', RRType.A));
    assert.equal(raw.flags.rcode, RCode.NXDOMAIN);
    assert.equal(raw.flags.aa, true);
    assert.equal(raw.authorities[0]?.type, 'SOA');
    await assert.rejects(resolver.resolve6('web.shop.svc.cluster.local'), { code: 'ENODATA' });
    const nodata = await udpAsk(port, query('web.shop.svc.cluster.local', RRType.AAAA));
    assert.equal(nodata.flags.rcode, RCode.NOERROR);
    assert.equal(nodata.answers.length, 0);
    assert.equal(nodata.authorities[0]?.type, 'SOA');
  });

  it('answers over TCP', async () => {
    const reply = await new Promise<DnsMessage>((resolve, reject) => {
      const q = query('web.shop.svc.cluster.local', RRType.A, 7);
      const len = Buffer.alloc(2);
      len.writeUInt16BE(q.length);
      const sock = net.connect(port, '127.0.0.1', () => sock.write(Buffer.concat([len, q])));
      let buf = Buffer.alloc(0);
      sock.on('data', (b: Buffer) => {
        buf = Buffer.concat([buf, b]);
        if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
          sock.destroy();
          resolve(decodeMessage(buf.subarray(2)));
        }
      });
      sock.on('error', reject);
    });
    assert.equal(reply.id, 7);
    assert.deepEqual(reply.answers.map((a) => a.type === 'A' && a.address), ['10.96.0.10']);
  });

  it('truncates large UDP answers; the client retries over TCP and gets everything', async () => {
    const raw = await udpAsk(port, query('big.shop.svc.cluster.local', RRType.A));
    assert.equal(raw.flags.tc, true);
    assert.equal((await resolver.resolve4('big.shop.svc.cluster.local')).length, 100);
  });

  it('forwards other names upstream', async () => {
    assert.deepEqual(await resolver.resolve4('example.org'), ['192.0.2.7']);
  });

  it('answers SERVFAIL when the upstream does not answer in time', async () => {
    const silent = await fakeUpstream(true);
    const clock = new FakeClock();
    const fwd = new UdpForwarder({ servers: [`127.0.0.1:${silent.address().port}`], clock, timeoutMs: 2000 });
    const s = new ClusterDnsServer({ address: '127.0.0.1', port: 0, resolver: new ClusterResolver({ records }), forwarder: fwd });
    const p = (await s.start()).port;
    try {
      const pending = udpAsk(p, query('example.org', RRType.A));
      await new Promise((r) => setTimeout(r, 50)); // let the query reach the forwarder
      await clock.advance(2000);
      assert.equal((await pending).flags.rcode, RCode.SERVFAIL);
    } finally {
      await s.stop();
      silent.close();
    }
  });

  it('answers FORMERR to garbage with a readable header and drops shorter junk', async () => {
    const bad = Buffer.concat([Buffer.from([0, 9, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0]), Buffer.from([5, 0x61])]);
    const raw = await udpAsk(port, bad);
    assert.equal(raw.id, 9);
    assert.equal(raw.flags.rcode, RCode.FORMERR);
  });

  it('measures queries per second (UDP, 64 in flight)', async () => {
    const sock = dgram.createSocket('udp4');
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
    const total = 5000;
    let sent = 0;
    let received = 0;
    const started = performance.now();
    await new Promise<void>((resolve) => {
      const send = (): void => {
        if (sent >= total) return;
        sock.send(query('web.shop.svc.cluster.local', RRType.A, sent++ & 0xffff), port, '127.0.0.1');
      };
      sock.on('message', () => {
        if (++received === total) resolve();
        else send();
      });
      for (let i = 0; i < 64; i++) send();
    });
    const qps = total / ((performance.now() - started) / 1000);
    sock.close();
    console.log(`cluster DNS: ${Math.round(qps)} queries/s over UDP (${total} A queries, 64 in flight)`);
    assert.ok(qps > 500);
  });
});

describe('resolvConf and upstreams', () => {
  it('writes the ClusterFirst resolv.conf', () => {
    assert.equal(
      resolvConf({ namespace: 'shop', nameservers: ['10.244.1.1'] }),
      'nameserver 10.244.1.1\nsearch shop.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:5\n',
    );
    assert.equal(
      resolvConf({ namespace: 'a', nameservers: ['10.0.0.10'], dnsConfig: { searches: ['corp.example'], options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }] } }),
      'nameserver 10.0.0.10\nsearch a.svc.cluster.local svc.cluster.local cluster.local corp.example\noptions ndots:2 edns0\n',
    );
  });

  it('reads upstream nameservers from resolv.conf, excluding our own address', async () => {
    const dir = await mkdtemp(`${tmpdir()}/mz-dns-`);
    await writeFile(`${dir}/resolv.conf`, '# comment\nnameserver 10.255.255.53\nnameserver 127.0.0.53\nnameserver bogus\nsearch x\n');
    assert.deepEqual(await upstreamsFromResolvConf(`${dir}/resolv.conf`, ['127.0.0.53']), ['10.255.255.53']);
    assert.deepEqual(await upstreamsFromResolvConf(`${dir}/missing`), []);
    await rm(dir, { recursive: true });
  });
});

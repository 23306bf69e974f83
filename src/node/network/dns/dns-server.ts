import dgram from 'node:dgram';
import net from 'node:net';
import type { ClusterResolver } from './cluster-resolver.ts';
import type { UpstreamForwarder } from './forwarder.ts';
import { decodeMessage, encodeMessage, RCode, RRType, type DnsMessage, type DnsRecord } from './wire.ts';

/** Configuration of {@link ClusterDnsServer}. */
export interface ClusterDnsServerConfig {
  /** Listen address: a loopback address or the pod bridge's gateway IP. */
  address: string;
  /** Default 53. With 0, one free port is picked for both UDP and TCP. */
  port?: number;
  resolver: ClusterResolver;
  /** Where names outside the cluster domain go; without one they get SERVFAIL. */
  forwarder?: UpstreamForwarder;
}

const UDP_LIMIT = 512;
const EDNS_LIMIT = 4096;

/** Cluster DNS over UDP and TCP (RFC 1035 §4.2, TCP messages framed by a two-octet length). */
export class ClusterDnsServer {
  private udp: dgram.Socket | undefined;
  private tcp: net.Server | undefined;
  private readonly conns = new Set<net.Socket>();
  /** Queries answered since start. */
  queries = 0;

  constructor(private readonly config: ClusterDnsServerConfig) {}

  /** Binds both transports; resolves to the port actually used. */
  async start(): Promise<{ address: string; port: number }> {
    const wanted = this.config.port ?? 53;
    for (let attempt = 0; ; attempt++) {
      const udp = await this.bindUdp(wanted);
      const port = udp.address().port;
      try {
        this.tcp = await this.bindTcp(port);
        this.udp = udp;
        return { address: this.config.address, port };
      } catch (e) {
        udp.close();
        // With an ephemeral port, TCP may find it taken by someone else: pick another.
        if (wanted !== 0 || attempt >= 5) throw e;
      }
    }
  }

  async stop(): Promise<void> {
    for (const c of this.conns) c.destroy();
    this.conns.clear();
    const tcp = this.tcp;
    const udp = this.udp;
    this.tcp = undefined;
    this.udp = undefined;
    await Promise.all([
      tcp ? new Promise<void>((r) => tcp.close(() => r())) : undefined,
      udp ? new Promise<void>((r) => udp.close(() => r())) : undefined,
    ]);
  }

  /** Answers one wire-format query; undefined means "drop" (not a query, or unreadable). */
  async handle(query: Buffer, transport: 'udp' | 'tcp'): Promise<Buffer | undefined> {
    let msg: DnsMessage;
    try {
      msg = decodeMessage(query);
    } catch {
      return query.length >= 12 ? formErr(query) : undefined;
    }
    if (msg.flags.qr) return undefined;
    this.queries++;
    const opt = msg.additionals.find((r) => r.type === 'RAW' && r.code === RRType.OPT);
    const limit = transport === 'tcp' ? 65_535 : opt ? Math.max(UDP_LIMIT, Math.min(opt.class, EDNS_LIMIT)) : UDP_LIMIT;
    const res = this.config.resolver.resolve(msg);
    if (res.kind === 'answer') return fit(withOpt(res.message, opt), limit);
    const upstream = this.config.forwarder ? await this.config.forwarder.forward(query) : undefined;
    if (upstream) return upstream;
    return fit(withOpt(failure(msg, RCode.SERVFAIL), opt), limit);
  }

  private bindUdp(port: number): Promise<dgram.Socket> {
    return new Promise((resolve, reject) => {
      const sock = dgram.createSocket(net.isIPv6(this.config.address) ? 'udp6' : 'udp4');
      sock.once('error', reject);
      sock.on('message', (buf, rinfo) => {
        void this.handle(buf, 'udp').then((reply) => reply && sock.send(reply, rinfo.port, rinfo.address));
      });
      sock.bind(port, this.config.address, () => {
        sock.off('error', reject);
        sock.on('error', () => undefined); // ICMP errors for departed clients are not fatal
        resolve(sock);
      });
    });
  }

  private bindTcp(port: number): Promise<net.Server> {
    return new Promise((resolve, reject) => {
      const server = net.createServer((sock) => this.serveTcp(sock));
      server.once('error', reject);
      server.listen(port, this.config.address, () => {
        server.off('error', reject);
        resolve(server);
      });
    });
  }

  private serveTcp(sock: net.Socket): void {
    this.conns.add(sock);
    let pending = Buffer.alloc(0);
    sock.setTimeout(30_000, () => sock.destroy());
    sock.on('close', () => this.conns.delete(sock));
    sock.on('error', () => sock.destroy());
    sock.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
        const frame = pending.subarray(2, 2 + pending.readUInt16BE(0));
        pending = pending.subarray(2 + frame.length);
        void this.handle(Buffer.from(frame), 'tcp').then((reply) => {
          if (!reply || sock.destroyed) return;
          const len = Buffer.alloc(2);
          len.writeUInt16BE(reply.length);
          sock.write(Buffer.concat([len, reply]));
        });
      }
    });
  }
}

/** Encodes, and when the reply is over the transport's limit sends just the header and question with TC set. */
function fit(msg: DnsMessage, limit: number): Buffer {
  const full = encodeMessage(msg);
  if (full.length <= limit) return full;
  const opt = msg.additionals.filter((r) => r.type === 'RAW' && r.code === RRType.OPT);
  return encodeMessage({ ...msg, flags: { ...msg.flags, tc: true }, answers: [], authorities: [], additionals: opt });
}

/** Echoes EDNS(0) support when the client used it (RFC 6891 §6.1.1), advertising our own limit. */
function withOpt(msg: DnsMessage, opt: DnsRecord | undefined): DnsMessage {
  if (!opt) return msg;
  const ours: DnsRecord = { name: '', class: EDNS_LIMIT, ttl: 0, type: 'RAW', code: RRType.OPT, data: Buffer.alloc(0) };
  return { ...msg, additionals: [...msg.additionals, ours] };
}

function failure(query: DnsMessage, rcode: number): DnsMessage {
  return {
    id: query.id,
    flags: { qr: true, opcode: query.flags.opcode, aa: false, tc: false, rd: query.flags.rd, ra: true, rcode },
    questions: query.questions,
    answers: [],
    authorities: [],
    additionals: [],
  };
}

/** FORMERR for a message we could not parse: header only, echoing its id. */
function formErr(query: Buffer): Buffer {
  const out = Buffer.alloc(12);
  query.copy(out, 0, 0, 2);
  out.writeUInt16BE(0x8000 | (query.readUInt16BE(2) & 0x7900) | 0x80 | RCode.FORMERR, 2);
  return out;
}

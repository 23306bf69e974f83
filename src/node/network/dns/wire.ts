/**
 * DNS message wire format (RFC 1035, SRV from RFC 2782, AAAA from RFC 3596). Decoding follows
 * compression pointers; encoding writes names uncompressed, which every resolver accepts.
 */

export const RRType = { A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, TXT: 16, AAAA: 28, SRV: 33, OPT: 41, ANY: 255 } as const;
export const RCode = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;
export const CLASS_IN = 1;

export interface DnsQuestion {
  name: string;
  type: number;
  class: number;
}

/** Record data by type; anything Minato does not interpret (OPT included) stays raw. */
export type DnsRecordData =
  | { type: 'A' | 'AAAA'; address: string }
  | { type: 'CNAME' | 'PTR' | 'NS'; target: string }
  | { type: 'SRV'; priority: number; weight: number; port: number; target: string }
  | { type: 'SOA'; mname: string; rname: string; serial: number; refresh: number; retry: number; expire: number; minimum: number }
  | { type: 'TXT'; texts: string[] }
  | { type: 'RAW'; code: number; data: Buffer };

/** A resource record. For OPT, `class` is the requester's UDP payload size and `ttl` the extended flags. */
export type DnsRecord = { name: string; class: number; ttl: number } & DnsRecordData;

export interface DnsFlags {
  qr: boolean;
  opcode: number;
  aa: boolean;
  tc: boolean;
  rd: boolean;
  ra: boolean;
  rcode: number;
}

export interface DnsMessage {
  id: number;
  flags: DnsFlags;
  questions: DnsQuestion[];
  answers: DnsRecord[];
  authorities: DnsRecord[];
  additionals: DnsRecord[];
}

/** Thrown for malformed input; the server answers FORMERR when it can read the header. */
export class DnsFormatError extends Error {
  override name = 'DnsFormatError';
}

const TYPE_CODE: Record<Exclude<DnsRecordData['type'], 'RAW'>, number> = {
  A: RRType.A,
  AAAA: RRType.AAAA,
  CNAME: RRType.CNAME,
  PTR: RRType.PTR,
  NS: RRType.NS,
  SRV: RRType.SRV,
  SOA: RRType.SOA,
  TXT: RRType.TXT,
};

/** The numeric type code of a record. */
export function typeCode(r: DnsRecordData): number {
  return r.type === 'RAW' ? r.code : TYPE_CODE[r.type];
}

// ---------------------------------------------------------------------------------------------- decoding

class Reader {
  constructor(
    readonly buf: Buffer,
    public pos = 0,
  ) {}
  need(n: number): void {
    if (this.pos + n > this.buf.length) throw new DnsFormatError('message truncated');
  }
  u8(): number {
    this.need(1);
    return this.buf.readUInt8(this.pos++);
  }
  u16(): number {
    this.need(2);
    const v = this.buf.readUInt16BE(this.pos);
    this.pos += 2;
    return v;
  }
  u32(): number {
    this.need(4);
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  bytes(n: number): Buffer {
    this.need(n);
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }
  /** Reads a possibly compressed name; pointers may only go backwards, which also rules out loops. */
  name(): string {
    const labels: string[] = [];
    let pos = this.pos;
    let jumped = false;
    let length = 0;
    for (;;) {
      if (pos >= this.buf.length) throw new DnsFormatError('name runs past the message');
      const len = this.buf.readUInt8(pos);
      if ((len & 0xc0) === 0xc0) {
        if (pos + 1 >= this.buf.length) throw new DnsFormatError('truncated compression pointer');
        const target = ((len & 0x3f) << 8) | this.buf.readUInt8(pos + 1);
        if (target >= pos) throw new DnsFormatError('forward compression pointer');
        if (!jumped) this.pos = pos + 2;
        jumped = true;
        pos = target;
        continue;
      }
      if (len & 0xc0) throw new DnsFormatError('unsupported label type');
      if (len === 0) {
        if (!jumped) this.pos = pos + 1;
        break;
      }
      if (pos + 1 + len > this.buf.length) throw new DnsFormatError('label runs past the message');
      labels.push(this.buf.toString('latin1', pos + 1, pos + 1 + len));
      length += len + 1;
      if (length > 255) throw new DnsFormatError('name longer than 255 octets');
      pos += 1 + len;
    }
    return labels.join('.');
  }
}

/** Parses a complete DNS message. */
export function decodeMessage(buf: Buffer): DnsMessage {
  const r = new Reader(buf);
  const id = r.u16();
  const f = r.u16();
  const counts = [r.u16(), r.u16(), r.u16(), r.u16()] as const;
  const questions: DnsQuestion[] = [];
  for (let i = 0; i < counts[0]; i++) questions.push({ name: r.name(), type: r.u16(), class: r.u16() });
  const section = (n: number): DnsRecord[] => Array.from({ length: n }, () => decodeRecord(r));
  return {
    id,
    flags: decodeFlags(f),
    questions,
    answers: section(counts[1]),
    authorities: section(counts[2]),
    additionals: section(counts[3]),
  };
}

function decodeFlags(f: number): DnsFlags {
  return { qr: !!(f & 0x8000), opcode: (f >> 11) & 0xf, aa: !!(f & 0x400), tc: !!(f & 0x200), rd: !!(f & 0x100), ra: !!(f & 0x80), rcode: f & 0xf };
}

function decodeRecord(r: Reader): DnsRecord {
  const name = r.name();
  const type = r.u16();
  const cls = r.u16();
  const ttl = r.u32();
  const rdlen = r.u16();
  r.need(rdlen);
  const end = r.pos + rdlen;
  const head = { name, class: cls, ttl };
  const data = decodeData(r, type, rdlen);
  r.pos = end; // rdata is self-delimiting by rdlength, whatever the parser consumed
  return { ...head, ...data };
}

function decodeData(r: Reader, type: number, rdlen: number): DnsRecordData {
  switch (type) {
    case RRType.A:
      if (rdlen !== 4) throw new DnsFormatError('A record with rdlength != 4');
      return { type: 'A', address: [...r.bytes(4)].join('.') };
    case RRType.AAAA: {
      if (rdlen !== 16) throw new DnsFormatError('AAAA record with rdlength != 16');
      const b = r.bytes(16);
      const groups = Array.from({ length: 8 }, (_, i) => b.readUInt16BE(i * 2).toString(16));
      return { type: 'AAAA', address: groups.join(':') };
    }
    case RRType.CNAME:
      return { type: 'CNAME', target: r.name() };
    case RRType.PTR:
      return { type: 'PTR', target: r.name() };
    case RRType.NS:
      return { type: 'NS', target: r.name() };
    case RRType.SRV:
      return { type: 'SRV', priority: r.u16(), weight: r.u16(), port: r.u16(), target: r.name() };
    case RRType.SOA:
      return { type: 'SOA', mname: r.name(), rname: r.name(), serial: r.u32(), refresh: r.u32(), retry: r.u32(), expire: r.u32(), minimum: r.u32() };
    case RRType.TXT: {
      const texts: string[] = [];
      const end = r.pos + rdlen;
      while (r.pos < end) texts.push(r.bytes(r.u8()).toString('utf8'));
      return { type: 'TXT', texts };
    }
    default:
      return { type: 'RAW', code: type, data: Buffer.from(r.bytes(rdlen)) };
  }
}

// ---------------------------------------------------------------------------------------------- encoding

/** Serialises a message (names uncompressed). */
export function encodeMessage(m: DnsMessage): Buffer {
  const parts: Buffer[] = [];
  const header = Buffer.alloc(12);
  header.writeUInt16BE(m.id, 0);
  header.writeUInt16BE(encodeFlags(m.flags), 2);
  header.writeUInt16BE(m.questions.length, 4);
  header.writeUInt16BE(m.answers.length, 6);
  header.writeUInt16BE(m.authorities.length, 8);
  header.writeUInt16BE(m.additionals.length, 10);
  parts.push(header);
  for (const q of m.questions) parts.push(encodeName(q.name), u16(q.type), u16(q.class));
  for (const r of [...m.answers, ...m.authorities, ...m.additionals]) parts.push(encodeRecord(r));
  return Buffer.concat(parts);
}

function encodeFlags(f: DnsFlags): number {
  return (f.qr ? 0x8000 : 0) | ((f.opcode & 0xf) << 11) | (f.aa ? 0x400 : 0) | (f.tc ? 0x200 : 0) | (f.rd ? 0x100 : 0) | (f.ra ? 0x80 : 0) | (f.rcode & 0xf);
}

/** Encodes a name as length-prefixed labels ("" and "." are the root). */
export function encodeName(name: string): Buffer {
  const trimmed = name.endsWith('.') ? name.slice(0, -1) : name;
  const labels = trimmed === '' ? [] : trimmed.split('.');
  const parts: Buffer[] = [];
  for (const label of labels) {
    const b = Buffer.from(label, 'latin1');
    if (b.length === 0 || b.length > 63) throw new DnsFormatError(`bad label in ${name}`);
    parts.push(Buffer.from([b.length]), b);
  }
  parts.push(Buffer.from([0]));
  const out = Buffer.concat(parts);
  if (out.length > 255) throw new DnsFormatError(`name too long: ${name}`);
  return out;
}

function encodeRecord(r: DnsRecord): Buffer {
  const data = encodeData(r);
  const head = Buffer.alloc(10);
  head.writeUInt16BE(typeCode(r), 0);
  head.writeUInt16BE(r.class, 2);
  head.writeUInt32BE(r.ttl >>> 0, 4);
  head.writeUInt16BE(data.length, 8);
  return Buffer.concat([encodeName(r.name), head, data]);
}

function encodeData(r: DnsRecordData): Buffer {
  switch (r.type) {
    case 'A':
      return Buffer.from(r.address.split('.').map(Number));
    case 'AAAA':
      return encodeIpv6(r.address);
    case 'CNAME':
    case 'PTR':
    case 'NS':
      return encodeName(r.target);
    case 'SRV':
      return Buffer.concat([u16(r.priority), u16(r.weight), u16(r.port), encodeName(r.target)]);
    case 'SOA':
      return Buffer.concat([encodeName(r.mname), encodeName(r.rname), ...[r.serial, r.refresh, r.retry, r.expire, r.minimum].map(u32)]);
    case 'TXT':
      return Buffer.concat(r.texts.flatMap((t) => [Buffer.from([Buffer.byteLength(t)]), Buffer.from(t)]));
    case 'RAW':
      return r.data;
  }
}

function encodeIpv6(address: string): Buffer {
  const [head = '', tail] = address.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  const out = Buffer.alloc(16);
  groups.forEach((g: string, i: number) => out.writeUInt16BE(parseInt(g, 16), i * 2));
  return out;
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

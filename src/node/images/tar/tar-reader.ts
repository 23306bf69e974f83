/**
 * A streaming tar reader for image layers: ustar headers, pax extended headers (per-entry `x` and
 * global `g`), GNU long names/links (`L`/`K`) and GNU base-256 numbers. Entries are yielded with
 * their body buffered, one at a time, so memory is bounded by the largest file, not the layer.
 */

/** Kinds of entries; everything the reader does not model (fifo, sparse...) is reported as 'other'. */
export type TarEntryType = 'file' | 'directory' | 'symlink' | 'hardlink' | 'char-device' | 'block-device' | 'fifo' | 'other';

/** One tar entry, after pax/GNU extensions have been applied. */
export interface TarEntry {
  /** Path as stored (no normalisation here; the unpacker validates it). */
  path: string;
  type: TarEntryType;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  linkname: string;
  devmajor: number;
  devminor: number;
  data: Buffer;
}

const BLOCK = 512;

/** Parses an octal (or GNU base-256) numeric header field. */
export function parseNumber(field: Buffer): number {
  if (field.length > 0 && ((field[0] ?? 0) & 0x80) !== 0) {
    let n = (field[0] ?? 0) & 0x7f;
    for (let i = 1; i < field.length; i++) n = n * 256 + (field[i] ?? 0);
    return n;
  }
  const text = field.toString('latin1').replace(/\0.*$/s, '').trim();
  return text === '' ? 0 : parseInt(text, 8);
}

function parseString(field: Buffer): string {
  const end = field.indexOf(0);
  return field.subarray(0, end < 0 ? field.length : end).toString('utf8');
}

function checksumOk(header: Buffer): boolean {
  const stored = parseNumber(header.subarray(148, 156));
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : (header[i] ?? 0);
  return sum === stored;
}

/** Parses pax records ("<len> key=value\n"). */
export function parsePax(data: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  let pos = 0;
  while (pos < data.length) {
    const space = data.indexOf(0x20, pos);
    if (space < 0) break;
    const len = parseInt(data.subarray(pos, space).toString('latin1'), 10);
    if (!Number.isFinite(len) || len <= 0) throw new Error('tar: malformed pax record');
    const record = data.subarray(space + 1, pos + len - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq > 0) out.set(record.slice(0, eq), record.slice(eq + 1));
    pos += len;
  }
  return out;
}

const TYPES: Record<string, TarEntryType> = {
  '0': 'file', '\0': 'file', '7': 'file', '1': 'hardlink', '2': 'symlink', '3': 'char-device', '4': 'block-device', '5': 'directory', '6': 'fifo',
};

/** Pulls exactly `n` bytes at a time out of an async chunk stream. */
class ByteQueue {
  private chunks: Buffer[] = [];
  private length = 0;
  private done = false;
  constructor(private readonly source: AsyncIterator<Buffer | Uint8Array | string>) {}

  async take(n: number): Promise<Buffer | undefined> {
    while (this.length < n && !this.done) {
      const next = await this.source.next();
      if (next.done) this.done = true;
      else {
        const b = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
        this.chunks.push(b);
        this.length += b.length;
      }
    }
    if (this.length < n) return undefined;
    const all = this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks, this.length);
    const out = all.subarray(0, n);
    const rest = all.subarray(n);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.length = rest.length;
    return out;
  }
}

/** Yields the entries of a tar stream. Throws on a truncated archive or a bad header checksum. */
export async function* readTar(source: AsyncIterable<Buffer | Uint8Array | string>): AsyncGenerator<TarEntry> {
  const q = new ByteQueue(source[Symbol.asyncIterator]());
  const global = new Map<string, string>();
  let pax = new Map<string, string>();
  let longName: string | undefined;
  let longLink: string | undefined;
  for (;;) {
    const header = await q.take(BLOCK);
    if (!header) return; // tolerate archives without the two zero blocks
    if (header.every((b) => b === 0)) return;
    if (!checksumOk(header)) throw new Error('tar: header checksum mismatch');
    const typeflag = String.fromCharCode(header[156] ?? 0);
    const ext = new Map([...global, ...pax]);
    const size = ext.has('size') ? Number(ext.get('size')) : parseNumber(header.subarray(124, 136));
    const padded = Math.ceil(size / BLOCK) * BLOCK;
    const body = await q.take(padded);
    if (!body) throw new Error('tar: truncated archive');
    const data = Buffer.from(body.subarray(0, size)); // copy: the queue's buffer is reused
    if (typeflag === 'x') { pax = parsePax(data); continue; }
    if (typeflag === 'g') { for (const [k, v] of parsePax(data)) global.set(k, v); continue; }
    if (typeflag === 'L') { longName = parseString(data); continue; }
    if (typeflag === 'K') { longLink = parseString(data); continue; }
    const magic = header.subarray(257, 263).toString('latin1');
    const prefix = magic.startsWith('ustar') ? parseString(header.subarray(345, 500)) : '';
    const name = parseString(header.subarray(0, 100));
    const path = ext.get('path') ?? longName ?? (prefix ? `${prefix}/${name}` : name);
    yield {
      path,
      type: TYPES[typeflag] ?? 'other',
      mode: parseNumber(header.subarray(100, 108)) & 0o7777,
      uid: ext.has('uid') ? Number(ext.get('uid')) : parseNumber(header.subarray(108, 116)),
      gid: ext.has('gid') ? Number(ext.get('gid')) : parseNumber(header.subarray(116, 124)),
      size,
      mtime: ext.has('mtime') ? Math.floor(Number(ext.get('mtime'))) : parseNumber(header.subarray(136, 148)),
      linkname: ext.get('linkpath') ?? longLink ?? parseString(header.subarray(157, 257)),
      devmajor: parseNumber(header.subarray(329, 337)),
      devminor: parseNumber(header.subarray(337, 345)),
      data,
    };
    pax = new Map();
    longName = undefined;
    longLink = undefined;
  }
}

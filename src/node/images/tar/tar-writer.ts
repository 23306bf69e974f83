/**
 * A deterministic tar writer for the base images: entries are written in the order given, with
 * fixed owner and mtime unless set, so the same input gives the same bytes (and digest). Names or
 * link targets that do not fit ustar get a pax `x` header.
 */

/** An entry to write. Directories and symlinks carry no data. */
export interface TarWriteEntry {
  path: string;
  type: 'file' | 'directory' | 'symlink' | 'hardlink';
  mode?: number;
  uid?: number;
  gid?: number;
  mtime?: number;
  linkname?: string;
  data?: Buffer;
}

const BLOCK = 512;

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

function header(name: string, typeflag: string, size: number, e: Partial<TarWriteEntry>, linkname = ''): Buffer {
  const h = Buffer.alloc(BLOCK);
  h.write(name, 0, 100, 'utf8');
  h.write(octal(e.mode ?? 0o644, 8), 100, 'latin1');
  h.write(octal(e.uid ?? 0, 8), 108, 'latin1');
  h.write(octal(e.gid ?? 0, 8), 116, 'latin1');
  h.write(octal(size, 12), 124, 'latin1');
  h.write(octal(e.mtime ?? 0, 12), 136, 'latin1');
  h.write(typeflag, 156, 'latin1');
  h.write(linkname, 157, 100, 'utf8');
  h.write('ustar\0', 257, 'latin1');
  h.write('00', 263, 'latin1');
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(octal(sum, 7) + ' ', 148, 'latin1');
  return h;
}

function pad(data: Buffer): Buffer[] {
  const rest = data.length % BLOCK;
  return rest === 0 ? [data] : [data, Buffer.alloc(BLOCK - rest)];
}

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let len = Buffer.byteLength(body) + 1;
  while (String(len).length + Buffer.byteLength(body) !== len) len = String(len).length + Buffer.byteLength(body);
  return `${len}${body}`;
}

const TYPEFLAG = { file: '0', hardlink: '1', symlink: '2', directory: '5' } as const;

/** Serialises entries into one tar archive (with the two terminating zero blocks). */
export function writeTar(entries: TarWriteEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const path = e.type === 'directory' && !e.path.endsWith('/') ? `${e.path}/` : e.path;
    const link = e.linkname ?? '';
    const data = e.type === 'file' ? (e.data ?? Buffer.alloc(0)) : Buffer.alloc(0);
    const records: string[] = [];
    if (Buffer.byteLength(path) > 99) records.push(paxRecord('path', path));
    if (Buffer.byteLength(link) > 99) records.push(paxRecord('linkpath', link));
    if (records.length > 0) {
      const pax = Buffer.from(records.join(''));
      parts.push(header('PaxHeaders/entry', 'x', pax.length, {}), ...pad(pax));
    }
    const mode = e.mode ?? (e.type === 'directory' ? 0o755 : e.type === 'symlink' ? 0o777 : 0o644);
    parts.push(header(path.slice(0, 99), TYPEFLAG[e.type], data.length, { ...e, mode }, link.slice(0, 99)));
    if (data.length > 0) parts.push(...pad(data));
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(parts);
}

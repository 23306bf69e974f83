import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { parseNumber, parsePax, readTar, type TarEntry } from './tar-reader.ts';
import { writeTar } from './tar-writer.ts';

/** A raw header block, for shapes our writer never produces (GNU L, base-256, prefix, global pax). */
function rawHeader(fields: { name: string; type: string; size: number; prefix?: string; sizeField?: Buffer; mode?: number }): Buffer {
  const h = Buffer.alloc(512);
  h.write(fields.name, 0, 100);
  h.write(`${(fields.mode ?? 0o644).toString(8).padStart(7, '0')}\0`, 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  if (fields.sizeField) fields.sizeField.copy(h, 124);
  else h.write(`${fields.size.toString(8).padStart(11, '0')}\0`, 124);
  h.write('00000000000\0', 136);
  h.write(fields.type, 156);
  h.write('ustar\0', 257);
  h.write('00', 263);
  if (fields.prefix) h.write(fields.prefix, 345, 155);
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return h;
}

function body(data: Buffer): Buffer {
  return Buffer.concat([data, Buffer.alloc((512 - (data.length % 512)) % 512)]);
}

async function readAll(buf: Buffer, chunk = buf.length): Promise<TarEntry[]> {
  const chunks: Buffer[] = [];
  for (let i = 0; i < buf.length; i += chunk) chunks.push(buf.subarray(i, i + chunk));
  const out: TarEntry[] = [];
  for await (const e of readTar(Readable.from(chunks))) out.push(e);
  return out;
}

describe('tar reader', () => {
  it('round-trips our writer, including pax long names and link targets, in 1-byte chunks', async () => {
    const long = `${'d'.repeat(60)}/${'e'.repeat(60)}/file.txt`;
    const tar = writeTar([
      { path: 'dir', type: 'directory', mode: 0o750 },
      { path: long, type: 'file', data: Buffer.from('hello'), mode: 0o600, uid: 12, gid: 34, mtime: 99 },
      { path: 'ln', type: 'symlink', linkname: `/${'t'.repeat(150)}` },
      { path: 'hard', type: 'hardlink', linkname: 'dir/x' },
    ]);
    const entries = await readAll(tar, 1);
    assert.deepEqual(entries.map((e) => [e.path, e.type]), [['dir/', 'directory'], [long, 'file'], ['ln', 'symlink'], ['hard', 'hardlink']]);
    const f = entries[1] as TarEntry;
    assert.equal(f.data.toString(), 'hello');
    assert.deepEqual([f.mode, f.uid, f.gid, f.mtime, f.size], [0o600, 12, 34, 99, 5]);
    assert.equal(entries[0]?.mode, 0o750);
    assert.equal(entries[2]?.linkname, `/${'t'.repeat(150)}`);
    assert.equal(entries[3]?.linkname, 'dir/x');
  });

  it('reads GNU long names, ustar prefixes, base-256 sizes and global pax headers', async () => {
    const longName = `${'n'.repeat(120)}/gnu.txt`;
    const nameData = Buffer.from(`${longName}\0`);
    const size256 = Buffer.alloc(12);
    size256[0] = 0x80;
    size256[11] = 3;
    const globalPax = Buffer.from('20 uid=4242\n'.replace('20', String(' uid=4242\n'.length + 2)));
    const tar = Buffer.concat([
      rawHeader({ name: 'pax_global_header', type: 'g', size: globalPax.length }), body(globalPax),
      rawHeader({ name: '././@LongLink', type: 'L', size: nameData.length }), body(nameData),
      rawHeader({ name: 'truncated', type: '0', size: 2 }), body(Buffer.from('ab')),
      rawHeader({ name: 'file', prefix: 'some/prefix', type: '0', size: 0, sizeField: size256 }), body(Buffer.from('xyz')),
      Buffer.alloc(1024),
    ]);
    const entries = await readAll(tar, 700);
    assert.deepEqual(entries.map((e) => e.path), [longName, 'some/prefix/file']);
    assert.equal(entries[1]?.data.toString(), 'xyz');
    assert.equal(entries[0]?.uid, 4242);
    assert.equal(entries[1]?.uid, 4242);
  });

  it('reports devices, fifos and unknown types without failing', async () => {
    const tar = Buffer.concat([rawHeader({ name: 'dev/null', type: '3', size: 0 }), rawHeader({ name: 'p', type: '6', size: 0 }),
      rawHeader({ name: 'sparse', type: 'S', size: 0 }), Buffer.alloc(1024)]);
    assert.deepEqual((await readAll(tar)).map((e) => e.type), ['char-device', 'fifo', 'other']);
  });

  it('rejects a bad checksum and a truncated body', async () => {
    const good = writeTar([{ path: 'f', type: 'file', data: Buffer.alloc(1000, 1) }]);
    const bad = Buffer.from(good);
    bad[0] = 0x41;
    await assert.rejects(readAll(bad), /checksum/);
    await assert.rejects(readAll(good.subarray(0, 700)), /truncated/);
  });

  it('ends at the first zero block and accepts a missing end marker', async () => {
    const tar = writeTar([{ path: 'a', type: 'file', data: Buffer.from('1') }]);
    assert.equal((await readAll(tar.subarray(0, 1024))).length, 1);
    assert.equal((await readAll(Buffer.concat([tar, writeTar([{ path: 'b', type: 'file' }])]))).length, 1);
  });

  it('parses numbers and pax records', () => {
    assert.equal(parseNumber(Buffer.from('0000644\0')), 0o644);
    assert.equal(parseNumber(Buffer.from('   \0')), 0);
    assert.deepEqual([...parsePax(Buffer.from('16 path=a/b/cé\n'.replace('16', String(Buffer.byteLength(' path=a/b/cé\n') + 2))))], [['path', 'a/b/cé']]);
  });
});

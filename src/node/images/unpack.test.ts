import assert from 'node:assert/strict';
import { lstat, mkdtemp, readFile, readlink, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { readTar } from './tar/tar-reader.ts';
import { writeTar, type TarWriteEntry } from './tar/tar-writer.ts';
import { applyLayer, type UnpackStats } from './unpack.ts';

const uid = process.getuid?.() ?? 0;
const gid = process.getgid?.() ?? 0;

async function apply(root: string, entries: TarWriteEntry[], extra: Buffer[] = []): Promise<UnpackStats> {
  const stats: UnpackStats = { entries: 0, skipped: 0, whiteouts: 0 };
  const tar = writeTar(entries.map((e) => ({ uid, gid, ...e })));
  const body = Buffer.concat([tar.subarray(0, tar.length - 1024), ...extra, Buffer.alloc(1024)]);
  await applyLayer(root, readTar(Readable.from([body])), stats);
  return stats;
}

const exists = (p: string) => lstat(p).then(() => true, () => false);

describe('layer unpacking', () => {
  let root = '';
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'minato-unpack-'));
  });
  after(() => rm(root, { recursive: true, force: true }));

  it('applies layers in order with whiteouts, opaque dirs, symlinks and hardlinks', async () => {
    await apply(root, [
      { path: 'etc', type: 'directory' }, { path: 'etc/a', type: 'file', data: Buffer.from('a1') },
      { path: 'etc/b', type: 'file', data: Buffer.from('b1') },
      { path: 'opq', type: 'directory' }, { path: 'opq/old', type: 'file' },
      { path: 'bin/busybox', type: 'file', mode: 0o4755, data: Buffer.from('bb') },
      { path: 'bin/sh', type: 'symlink', linkname: '/bin/busybox' },
      { path: 'bin/hard', type: 'hardlink', linkname: 'bin/busybox' },
      { path: 'ro', type: 'directory', mode: 0o555 }, { path: 'ro/inside', type: 'file' },
    ]);
    assert.equal(await readlink(join(root, 'bin/sh')), '/bin/busybox', 'absolute symlink target kept');
    assert.equal((await stat(join(root, 'bin/hard'))).ino, (await stat(join(root, 'bin/busybox'))).ino);
    assert.equal((await stat(join(root, 'bin/busybox'))).mode & 0o7777, 0o4755);
    assert.equal((await stat(join(root, 'ro'))).mode & 0o777, 0o555);
    const stats = await apply(root, [
      { path: 'etc/.wh.a', type: 'file' }, { path: 'etc/b', type: 'file', data: Buffer.from('b2') },
      { path: 'opq', type: 'directory' }, { path: 'opq/new', type: 'file' }, { path: 'opq/.wh..wh..opq', type: 'file' },
    ]);
    assert.equal(stats.whiteouts, 2);
    assert.equal(await exists(join(root, 'etc/a')), false);
    assert.equal(await readFile(join(root, 'etc/b'), 'utf8'), 'b2');
    assert.deepEqual(await readdir(join(root, 'opq')), ['new'], 'opaque removes lower entries but keeps this layer\'s');
  });

  it('rejects ".." and keeps writes through planted symlinks inside the root', async () => {
    await assert.rejects(apply(root, [{ path: '../evil', type: 'file' }]), /escapes the root/);
    await assert.rejects(apply(root, [{ path: 'x/../../evil', type: 'file' }]), /escapes the root/);
    await apply(root, [{ path: 'escape', type: 'symlink', linkname: '/' }, { path: 'up', type: 'symlink', linkname: '../../../..' }]);
    await apply(root, [{ path: 'escape/tmp/owned', type: 'file', data: Buffer.from('x') }, { path: 'up/etc/owned2', type: 'file' }]);
    assert.equal(await readFile(join(root, 'tmp/owned'), 'utf8'), 'x', 'absolute symlink resolved against the root');
    assert.equal(await exists(join(root, 'etc/owned2')), true);
    assert.equal(await exists('/tmp/owned'), false);
  });

  it('skips device nodes and fifos', async () => {
    const dev = Buffer.alloc(512);
    dev.write('dev/null', 0);
    dev.write('0000666\0', 100);
    dev.write('0000000\0', 108);
    dev.write('0000000\0', 116);
    dev.write('00000000000\0', 124);
    dev.write('00000000000\0', 136);
    dev.write('3', 156);
    dev.write('ustar\0' + '00', 257);
    dev.fill(0x20, 148, 156);
    let sum = 0;
    for (const b of dev) sum += b;
    dev.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    const stats = await apply(root, [{ path: 'dev', type: 'directory' }], [dev]);
    assert.equal(stats.skipped, 1);
    assert.equal(await exists(join(root, 'dev/null')), false);
  });
});

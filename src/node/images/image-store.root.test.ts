import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { lstat, mkdtemp, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { cgroupLeftovers, hostCgroupFs } from '../runtime/runc/cgroups.ts';
import { RuncRuntime } from '../runtime/runc/runc-runtime.ts';
import { mountsUnder, processesMentioning, requireBinaries } from '../runtime/runc/test-support.ts';
import { buildBusyboxImage, buildNodeImage, writeOciArchive } from './base-images.ts';
import { ImageStore } from './image-store.ts';
import { startRegistry as startTestRegistry, type TestRegistry } from '../../../test/support/node-host.ts';

const exec = promisify(execFile);
const run = randomBytes(4).toString('hex');
let dir = '';
const registries: TestRegistry[] = [];

/** Starts Debian's docker-registry on a free loopback port with storage under the test dir. */
async function startRegistry(name: string, htpasswd?: string): Promise<string> {
  const reg = await startTestRegistry(dir, name, htpasswd);
  registries.push(reg);
  return reg.address;
}

/** Relative path, type, symlink target and permission bits of every file under `root`. */
async function tree(root: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const name of (await readdir(join(root, rel))).sort()) {
    const p = rel ? `${rel}/${name}` : name;
    const st = await lstat(join(root, p));
    const kind = st.isDirectory() ? 'd' : st.isSymbolicLink() ? `l->${await readlink(join(root, p))}` : 'f';
    out.push(`${p} ${kind} ${(st.mode & 0o7777).toString(8)}`);
    if (st.isDirectory()) out.push(...(await tree(root, p)));
  }
  return out;
}

describe('ImageStore (root: docker-registry, skopeo, umoci, runc)', () => {
  let registry = '';
  let busyboxLayout = '';
  let nodeLayout = '';
  let store: ImageStore;

  before(async () => {
    requireBinaries(['/usr/bin/docker-registry', '/usr/bin/skopeo', '/usr/bin/umoci', '/usr/bin/htpasswd', '/usr/sbin/runc', '/usr/bin/conmon', '/bin/busybox']);
    dir = await mkdtemp(`/tmp/mim-${run}-`);
    busyboxLayout = join(dir, 'layouts/busybox');
    nodeLayout = join(dir, 'layouts/node');
    let t0 = performance.now();
    await buildBusyboxImage(busyboxLayout, { name: 'minato.local/busybox:1', tag: '1' });
    console.log(`build busybox image: ${(performance.now() - t0).toFixed(0)} ms`);
    t0 = performance.now();
    const built = await buildNodeImage(nodeLayout, { name: 'minato.local/node:20', tag: '20', gzipLevel: 1 });
    console.log(`build node image (gzip -1, ${(built.layerBytes / 1e6).toFixed(1)} MB layer): ${(performance.now() - t0).toFixed(0)} ms`);
    registry = await startRegistry('reg');
    store = new ImageStore({ root: join(dir, 'store') });
  });

  after(async () => {
    await Promise.all(registries.map((r) => r.stop()));
    const leftovers = {
      mounts: await mountsUnder(dir), processes: await processesMentioning(dir),
      cgroups: await cgroupLeftovers(hostCgroupFs, `/minato-img-${run}`),
    };
    await rm(dir, { recursive: true, force: true });
    assert.deepEqual(leftovers, { mounts: [], processes: [], cgroups: [] }, 'host is clean');
  });

  it('pulls the busybox image pushed by skopeo, unpacks it like umoci, and runs it', async () => {
    await exec('skopeo', ['copy', '--quiet', '--dest-tls-verify=false', `oci:${busyboxLayout}:1`, `docker://${registry}/minato/busybox:1`]);
    let t0 = performance.now();
    const img = await store.pull(`${registry}/minato/busybox:1`);
    const pullMs = performance.now() - t0;
    assert.equal(img.name, `${registry}/minato/busybox:1`);
    assert.deepEqual(img.config.cmd, ['sh']);
    t0 = performance.now();
    const prepared = await store.prepareRootfs(img.name, join(dir, 'ctr/bb1'));
    console.log(`busybox: pull ${pullMs.toFixed(0)} ms, unpack+mount ${(performance.now() - t0).toFixed(0)} ms (${prepared.mode})`);
    assert.equal(prepared.mode, 'overlay');
    assert.deepEqual(await store.prepareRootfs(img.name, join(dir, 'ctr/bb1')), prepared, 'idempotent');
    t0 = performance.now();
    await store.prepareRootfs(img.name, join(dir, 'ctr/bb2'));
    console.log(`busybox: rootfs for a second container (cached image, overlay mount) ${(performance.now() - t0).toFixed(0)} ms`);
    await store.releaseRootfs(join(dir, 'ctr/bb2'));

    await exec('umoci', ['unpack', '--image', `${busyboxLayout}:1`, join(dir, 'umoci-bb')]);
    const ours = await tree(prepared.rootfs);
    assert.ok(ours.includes('bin/sh l->/bin/busybox 777'), 'absolute applet symlinks kept');
    assert.deepEqual(ours, await tree(join(dir, 'umoci-bb/rootfs')));

    const rt = new RuncRuntime({ dataDir: join(dir, 'rt'), cgroupPrefix: `minato-img-${run}` });
    await rt.createContainer({ id: `bb-${run}`, podUid: 'p1', podNamespace: 'default', podName: 'p', containerName: 'c',
      rootfs: prepared.rootfs, command: ['sh', '-c', 'echo from-image > /tmp/x && cat /tmp/x && exit 3'] });
    await rt.startContainer(`bb-${run}`);
    let st = await rt.containerStatus(`bb-${run}`);
    for (let i = 0; st.state !== 'exited' && i < 200; i++) {
      await new Promise((r) => setTimeout(r, 50));
      st = await rt.containerStatus(`bb-${run}`);
    }
    assert.equal(st.exitCode, 3);
    assert.match(await readFile(rt.logPath(`bb-${run}`), 'utf8'), /stdout F from-image/);
    await rt.removeContainer(`bb-${run}`);
    const upper = await tree(join(dir, 'ctr/bb1/upper'));
    assert.ok(upper.includes('tmp/x f 644'), 'the write went to the container upper dir');
    await store.releaseRootfs(join(dir, 'ctr/bb1'));
  });

  it('pulls, unpacks and runs the node image', async () => {
    await exec('skopeo', ['copy', '--quiet', '--dest-tls-verify=false', `oci:${nodeLayout}:20`, `docker://${registry}/minato/node:20`]);
    const t0 = performance.now();
    const img = await store.pull(`${registry}/minato/node:20`);
    const pullMs = performance.now() - t0;
    const t1 = performance.now();
    const prepared = await store.prepareRootfs(img.name, join(dir, 'ctr/node1'));
    console.log(`node: pull ${pullMs.toFixed(0)} ms, unpack+mount ${(performance.now() - t1).toFixed(0)} ms, ${(img.size / 1e6).toFixed(1)} MB`);
    const rt = new RuncRuntime({ dataDir: join(dir, 'rt2'), cgroupPrefix: `minato-img-${run}` });
    const id = `node-${run}`;
    await rt.createContainer({ id, podUid: 'p2', podNamespace: 'default', podName: 'p', containerName: 'c', rootfs: prepared.rootfs,
      command: ['node', '-e', 'console.log("sum", 1 + 1, require("tls").rootCertificates.length > 0)'], readOnlyRootFilesystem: true });
    await rt.startContainer(id);
    let st = await rt.containerStatus(id);
    for (let i = 0; st.state !== 'exited' && i < 300; i++) {
      await new Promise((r) => setTimeout(r, 50));
      st = await rt.containerStatus(id);
    }
    const log = await readFile(rt.logPath(id), 'utf8');
    assert.equal(st.exitCode, 0, log);
    assert.match(log, /stdout F sum 2 true/);
    await rt.removeContainer(id);
    await store.releaseRootfs(join(dir, 'ctr/node1'));
  });

  it('pulls from a registry with htpasswd basic auth', async () => {
    const { stdout } = await exec('htpasswd', ['-Bbn', 'minato', 's3cret']);
    await writeFile(join(dir, 'htpasswd'), stdout);
    const authRegistry = await startRegistry('authreg', join(dir, 'htpasswd'));
    await exec('skopeo', ['copy', '--quiet', '--dest-tls-verify=false', '--dest-creds', 'minato:s3cret',
      `oci:${busyboxLayout}:1`, `docker://${authRegistry}/private/busybox:1`]);
    const s = new ImageStore({ root: join(dir, 'store-auth') });
    await assert.rejects(s.pull(`${authRegistry}/private/busybox:1`), /401 Unauthorized/);
    await assert.rejects(s.pull(`${authRegistry}/private/busybox:1`, { auth: { username: 'minato', password: 'nope' } }), /401/);
    const img = await s.pull(`${authRegistry}/private/busybox:1`, { auth: { username: 'minato', password: 's3cret' } });
    assert.equal(img.digest, (await store.get(`${registry}/minato/busybox:1`))?.digest);
  });

  it('imports oci-archive tars and layout dirs; copy fallback; remove and gc', async () => {
    const s = new ImageStore({ root: join(dir, 'store-import'), overlay: false });
    await writeOciArchive(busyboxLayout, join(dir, 'bb.tar'));
    const [fromTar] = await s.importArchive(join(dir, 'bb.tar'));
    assert.equal(fromTar?.name, 'minato.local/busybox:1');
    assert.equal(fromTar?.digest, (await store.get(`${registry}/minato/busybox:1`))?.digest);
    const [fromDir] = await s.importArchive(busyboxLayout, { name: 'minato.local/other:2' });
    assert.equal(fromDir?.digest, fromTar?.digest);
    assert.equal((await s.list()).length, 2);
    // skopeo's own oci-archive must import too
    await exec('skopeo', ['copy', '--quiet', `oci:${busyboxLayout}:1`, `oci-archive:${join(dir, 'skopeo-bb.tar')}:minato.local/sk:3`]);
    const [fromSkopeo] = await s.importArchive(join(dir, 'skopeo-bb.tar'));
    assert.equal(fromSkopeo?.name, 'minato.local/sk:3');

    const ctr = join(dir, 'ctr/copy1');
    const prepared = await s.prepareRootfs('minato.local/busybox:1', ctr);
    assert.equal(prepared.mode, 'copy');
    assert.ok((await tree(prepared.rootfs)).includes('bin/busybox f 755'));
    await writeFile(join(prepared.rootfs, 'tmp/state'), 'kept');
    assert.equal((await s.prepareRootfs('minato.local/busybox:1', ctr)).mode, 'copy', 'prepare again after an agent restart');
    assert.equal(await readFile(join(prepared.rootfs, 'tmp/state'), 'utf8'), 'kept');
    for (const i of await s.list()) await s.remove(i.name);
    assert.deepEqual(await s.gc(), { removedBlobs: 3, removedRootfs: 0 }, 'rootfs in use by a container is kept');
    await s.releaseRootfs(ctr);
    assert.deepEqual(await s.gc(), { removedBlobs: 0, removedRootfs: 1 });
    assert.deepEqual(await s.blobs.list(), []);
  });
});

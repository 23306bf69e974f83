/**
 * Builds a real image with runc: FROM the busybox base image, COPY, RUN, ENV, CMD; then checks the
 * image config, the unpacked rootfs and that the image runs, and that the host is left clean.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildBusyboxImage } from '../base-images.ts';
import { ImageStore } from '../image-store.ts';
import { mountsUnder, processesMentioning, requireBinaries, runcList } from '../../runtime/runc/test-support.ts';
import { ImageBuilder } from './builder.ts';
import { runBuildStep } from './run-step.ts';

const DOCKERFILE = `FROM minato.local/busybox:1
COPY hello.txt /hello.txt
RUN echo built > /built.txt && rm /bin/true-not-there || true
ENV A=b
CMD ["cat","/hello.txt"]
`;

async function cgroupsWithPrefix(prefix: string): Promise<string[]> {
  const out: string[] = [];
  for (const h of await readdir('/sys/fs/cgroup')) {
    const names = await readdir(join('/sys/fs/cgroup', h)).catch(() => [] as string[]);
    out.push(...names.filter((n) => n.startsWith(prefix)).map((n) => join(h, n)));
  }
  return out;
}

describe('ImageBuilder (root, runc)', () => {
  const prefix = `mbt-${randomBytes(3).toString('hex')}`;
  let dir = '';
  before(async () => {
    requireBinaries(['/usr/sbin/runc', '/bin/busybox']);
    dir = await mkdtemp(join(tmpdir(), `${prefix}-`));
  });
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('builds FROM busybox + COPY + RUN + ENV + CMD into the store, and the image runs', async () => {
    const store = new ImageStore({ root: join(dir, 'images') });
    await buildBusyboxImage(join(dir, 'base'), { name: 'minato.local/busybox:1', tag: '1' });
    await store.importArchive(join(dir, 'base'));
    const context = join(dir, 'context');
    await mkdir(context);
    await writeFile(join(context, 'hello.txt'), 'hello from the build\n');
    const logs: string[] = [];
    const builder = new ImageBuilder({ store, workDir: join(dir, 'work'), idPrefix: prefix, log: (l) => logs.push(l) });
    const t0 = performance.now();
    const result = await builder.build({ name: 'minato.local/built:1', contextDir: context, dockerfile: DOCKERFILE });
    const ms = performance.now() - t0;
    console.log(`build took ${ms.toFixed(0)} ms; ${result.layers} layers\n${logs.join("\n")}`);
    assert.equal(result.layers, 3, logs.join('\n')); // base + COPY + RUN

    const info = await store.get('minato.local/built:1');
    assert.ok(info);
    assert.equal(info.digest, result.manifestDigest);
    assert.deepEqual(info.config.cmd, ['cat', '/hello.txt']);
    assert.ok(info.config.env.includes('A=b'), info.config.env.join(' '));
    assert.ok(info.config.env.some((e) => e.startsWith('PATH=')));

    const ctr = join(dir, 'ctr');
    const { rootfs } = await store.prepareRootfs('minato.local/built:1', ctr);
    try {
      assert.equal(await readFile(join(rootfs, 'hello.txt'), 'utf8'), 'hello from the build\n');
      assert.equal(await readFile(join(rootfs, 'built.txt'), 'utf8'), 'built\n');
      const out: string[] = [];
      await runBuildStep({
        runc: '/usr/sbin/runc', id: `${prefix}-run`, bundleDir: join(dir, 'run-bundle'), rootfs,
        argv: [...info.config.cmd, '/proc/self/environ'], env: info.config.env, workingDir: '/', user: '', log: (l) => out.push(l),
      });
      const text = out.join('\n');
      assert.match(text, /hello from the build/);
      assert.match(text, /A=b/);
    } finally {
      await store.releaseRootfs(ctr);
    }

    assert.deepEqual(await readdir(join(dir, 'work')), [], 'build scratch dir removed');
    assert.deepEqual(await mountsUnder(dir), []);
    assert.deepEqual(await processesMentioning(prefix), []);
    assert.deepEqual(await cgroupsWithPrefix(prefix), []);
    assert.deepEqual(runcList(join(dir, 'run-bundle', 'runc')), []);
  });

  it('fails a build whose RUN fails, leaving nothing behind', async () => {
    const store = new ImageStore({ root: join(dir, 'images') });
    const builder = new ImageBuilder({ store, workDir: join(dir, 'work'), idPrefix: prefix });
    await assert.rejects(
      builder.build({ name: 'minato.local/bad:1', contextDir: dir, dockerfile: 'FROM minato.local/busybox:1\nRUN ["sh", "-c", "echo oops; exit 3"]\n' }),
      /exited with 3: oops/,
    );
    assert.equal(await store.get('minato.local/bad:1'), undefined);
    assert.deepEqual(await readdir(join(dir, 'work')), []);
    assert.deepEqual(await cgroupsWithPrefix(prefix), []);
  });
});

/**
 * Builds real images with runc: a multi-stage Dockerfile with meta ARGs and --build-arg, COPY
 * --from with --chown by name, --chmod, a .dockerignore with an exception, LABEL/ENV/WORKDIR/USER;
 * checks the result with tools we did not write (umoci unpack for files, owners and modes; skopeo
 * inspect for the config), runs it with runc, rebuilds from the cache, invalidates from a changed
 * file's COPY on, and checks that the host is left clean.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chown, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildBusyboxImage } from '../base-images.ts';
import { ImageStore } from '../image-store.ts';
import { mountsUnder, processesMentioning, requireBinaries, runcList } from '../../runtime/runc/test-support.ts';
import { ImageBuilder, type BuildRequest, type BuildResult } from './builder.ts';
import { runBuildStep } from './run-step.ts';

const BASE = 'minato.local/busybox:1';

const DOCKERFILE = `# syntax=docker/dockerfile:1
ARG BASE=minato.local/busybox:0-not-there
FROM \${BASE} AS build
ARG GREETING=hello
RUN mkdir -p /out && echo "$GREETING from stage build" > /out/greeting.txt && chmod 600 /out/greeting.txt
COPY src/ /src/
RUN cat /src/*.txt > /out/combined.txt

FROM scratch AS unused
COPY file-that-does-not-exist /x

FROM $BASE
ARG GREETING NOTE=none
ENV APP_HOME=/srv/app
LABEL org.example.greeting="\${GREETING}" org.example.escaped=\\$HOME org.example.note=$NOTE
RUN echo 'app:x:1234:1234::/srv/app:/bin/sh' >> /etc/passwd && \\
    echo 'app:x:1234:' >> /etc/group
WORKDIR $APP_HOME
COPY --from=build --chown=app:app /out/ ./
COPY --chown=1234:0 --chmod=0750 run.sh /usr/local/bin/run.sh
COPY ["src", "\${APP_HOME}/src"]
USER app
EXPOSE 8080
CMD ["/usr/local/bin/run.sh"]
`;

const RUN_SH = '#!/bin/sh\necho "uid=$(id -u) gid=$(id -g) pwd=$(pwd) greeting=$(cat greeting.txt) combined=$(cat combined.txt | tr \'\\n\' ,)"\n';

async function cgroupsWithPrefix(prefix: string): Promise<string[]> {
  const out: string[] = [];
  for (const h of await readdir('/sys/fs/cgroup')) {
    const names = await readdir(join('/sys/fs/cgroup', h)).catch(() => [] as string[]);
    out.push(...names.filter((n) => n.startsWith(prefix)).map((n) => join(h, n)));
  }
  return out;
}

/** Per step number: whether the step reported "Using cache" (FROM steps never do). */
function cacheUse(logs: string[]): Map<number, boolean> {
  const out = new Map<number, boolean>();
  let step = 0;
  for (const l of logs) {
    const m = /^Step (\d+)\/\d+ : /.exec(l);
    if (m) out.set((step = Number(m[1])), false);
    else if (l === ' ---> Using cache') out.set(step, true);
  }
  return out;
}

describe('ImageBuilder (root, runc)', () => {
  const prefix = `mbt-${randomBytes(3).toString('hex')}`;
  let dir = '';
  let store: ImageStore;
  before(async () => {
    requireBinaries(['/usr/sbin/runc', '/bin/busybox', '/usr/bin/umoci', '/usr/bin/skopeo']);
    dir = await mkdtemp(join(tmpdir(), `${prefix}-`));
    store = new ImageStore({ root: join(dir, 'images') });
    await buildBusyboxImage(join(dir, 'base'), { name: BASE, tag: '1' });
    await store.importArchive(join(dir, 'base'));
  });
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function build(req: Omit<BuildRequest, 'contextDir'> & { contextDir?: string }): Promise<{ result: BuildResult; logs: string[]; warnings: string[]; ms: number }> {
    const logs: string[] = [];
    const warnings: string[] = [];
    const builder = new ImageBuilder({ store, workDir: join(dir, 'work'), idPrefix: prefix, log: (l) => logs.push(l), warn: (l) => warnings.push(l) });
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const result = await builder.build({ contextDir: join(dir, 'context'), ...req });
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    console.log(`build: ${ms.toFixed(0)} ms wall, ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms CPU (this process), ${result.cachedSteps}/${result.steps} steps cached`);
    return { result, logs, warnings, ms };
  }

  it('builds a multi-stage Dockerfile, rebuilds from cache, and re-runs only from a changed COPY on', async () => {
    const context = join(dir, 'context');
    await mkdir(join(context, 'src/sub'), { recursive: true });
    const files: Record<string, string> = {
      'src/a.txt': 'A\n', 'src/b.txt': 'B\n', 'src/debug.log': 'log\n', 'src/sub/deep.log': 'deep\n', 'src/secret.key': 'KEY\n',
      'src/secret-but-public.txt': 'PUBLIC\n', 'run.sh': RUN_SH, '.dockerignore': '**/*.log\nsrc/secret*\n!src/secret-but-public.txt\n',
    };
    for (const [p, text] of Object.entries(files)) await writeFile(join(context, p), text);
    await chown(join(context, 'src/a.txt'), 4321, 4321); // a COPY from the context makes it 0:0
    const layout = join(dir, 'layout');
    const req = { tags: ['minato.local/built:1'], dockerfile: DOCKERFILE, buildArgs: { BASE, GREETING: 'hi', UNKNOWN_ARG: 'x' }, outputLayout: layout };

    const first = await build(req);
    console.log(first.logs.join('\n'));
    assert.deepEqual(first.warnings, ['[Warning] One or more build-args [UNKNOWN_ARG] were not consumed']);
    assert.equal(first.result.steps, 17, 'the unused stage is not built');
    assert.equal(first.result.cachedSteps, 0);
    assert.ok(first.logs.some((l) => /^ ---> Running in [0-9a-f]{12}$/.test(l)));
    assert.ok(first.logs.includes(`Successfully built ${first.result.imageId.slice(7, 19)}`));
    assert.ok(first.logs.includes('Successfully tagged minato.local/built:1'));
    assert.equal(first.result.layers, 1 + 5, 'base + RUN, WORKDIR, 3×COPY');

    // The config, as skopeo (not our code) reads it from the exported layout.
    const inspected = JSON.parse(execFileSync('skopeo', ['inspect', `oci:${layout}:1`], { encoding: 'utf8' })) as { Digest: string; Layers: string[] };
    assert.equal(inspected.Digest, first.result.manifestDigest);
    assert.equal(inspected.Layers.length, 6);
    const config = (JSON.parse(execFileSync('skopeo', ['inspect', '--config', `oci:${layout}:1`], { encoding: 'utf8' })) as { config: Record<string, unknown> }).config;
    assert.equal(config.User, 'app');
    assert.equal(config.WorkingDir, '/srv/app');
    assert.deepEqual(config.Cmd, ['/usr/local/bin/run.sh']);
    assert.deepEqual(config.ExposedPorts, { '8080/tcp': {} });
    assert.deepEqual(config.Labels, { 'org.example.greeting': 'hi', 'org.example.escaped': '$HOME', 'org.example.note': 'none' });
    const env = config.Env as string[];
    assert.ok(env.includes('APP_HOME=/srv/app'), env.join(' '));
    assert.ok(!env.some((e) => e.startsWith('GREETING')), 'ARG values are not persisted');

    // Files, owners and modes, as umoci (not our code) unpacks them.
    const bundle = join(dir, 'umoci-bundle');
    execFileSync('umoci', ['unpack', '--image', `${layout}:1`, bundle], { stdio: 'pipe' });
    const rootfs = join(bundle, 'rootfs');
    const meta = async (p: string): Promise<string> => {
      const st = await stat(join(rootfs, p));
      return `${st.uid}:${st.gid} ${(st.mode & 0o7777).toString(8)}`;
    };
    assert.equal(await readFile(join(rootfs, 'srv/app/greeting.txt'), 'utf8'), 'hi from stage build\n');
    assert.equal(await meta('srv/app/greeting.txt'), '1234:1234 600', '--chown by name, mode kept from the stage');
    assert.equal(await readFile(join(rootfs, 'srv/app/combined.txt'), 'utf8'), 'A\nB\nPUBLIC\n', '.dockerignore applied to COPY src/');
    assert.equal(await meta('usr/local/bin/run.sh'), '1234:0 750');
    assert.equal(await meta('srv/app/src/a.txt'), '0:0 644');
    assert.deepEqual((await readdir(join(rootfs, 'srv/app/src'))).sort(), ['a.txt', 'b.txt', 'secret-but-public.txt', 'sub']);
    assert.deepEqual(await readdir(join(rootfs, 'srv/app/src/sub')), []);
    await rm(bundle, { recursive: true, force: true });

    // The image runs (its CMD, as its USER, in its WORKDIR) under runc.
    const ctr = join(dir, 'ctr');
    const prepared = await store.prepareRootfs('minato.local/built:1', ctr);
    try {
      const info = await store.get('minato.local/built:1');
      assert.ok(info);
      const out: string[] = [];
      await runBuildStep({
        runc: '/usr/sbin/runc', id: `${prefix}-run`, bundleDir: join(dir, 'run-bundle'), rootfs: prepared.rootfs,
        argv: info.config.cmd, env: info.config.env, workingDir: info.config.workingDir, user: info.config.user, log: (l) => out.push(l),
      });
      assert.deepEqual(out, ['uid=1234 gid=1234 pwd=/srv/app greeting=hi from stage build combined=A,B,PUBLIC,']);
    } finally {
      await store.releaseRootfs(ctr);
    }

    // Same context again: every step after each FROM comes from the cache, and it is the same image.
    const second = await build(req);
    const use2 = cacheUse(second.logs);
    const fromSteps = [1, 6];
    for (const [step, cached] of use2) assert.equal(cached, !fromSteps.includes(step), `step ${step}: ${second.logs.join('\n')}`);
    assert.equal(second.result.cachedSteps, 15);
    assert.ok(!second.logs.some((l) => l.includes('Running in')));
    assert.equal(second.result.imageId, first.result.imageId);
    console.log(`first build ${first.ms.toFixed(0)} ms, fully cached rebuild ${second.ms.toFixed(0)} ms`);
    assert.ok(second.ms * 3 < first.ms, `cached rebuild (${second.ms} ms) should be far faster than the first (${first.ms} ms)`);

    // A build-arg only the final stage uses: the build stage comes entirely from the cache and is
    // materialised from its cached layers for COPY --from (no RUN of it).
    const noted = await build({ ...req, tags: ['minato.local/built:noted'], outputLayout: undefined, buildArgs: { ...req.buildArgs, NOTE: 'changed' } });
    const useNoted = cacheUse(noted.logs);
    for (const [step, cached] of useNoted) assert.equal(cached, [2, 3, 4, 5, 7, 8].includes(step), `step ${step}: ${noted.logs.join('\n')}`);
    assert.equal(noted.logs.filter((l) => l.includes('Running in')).length, 1, 'only the final stage RUN after the LABEL');
    const ctr2 = join(dir, 'ctr2');
    const noteRootfs = (await store.prepareRootfs('minato.local/built:noted', ctr2)).rootfs;
    try {
      assert.equal(await readFile(join(noteRootfs, 'srv/app/greeting.txt'), 'utf8'), 'hi from stage build\n');
      assert.equal(await readFile(join(noteRootfs, 'srv/app/combined.txt'), 'utf8'), 'A\nB\nPUBLIC\n');
    } finally {
      await store.releaseRootfs(ctr2);
    }
    await store.remove('minato.local/built:noted');

    // A changed source file: steps from its COPY on miss (in the build stage and, through COPY --from, in the final one).
    await writeFile(join(context, 'src/b.txt'), 'B2\n');
    const third = await build(req);
    const use3 = cacheUse(third.logs);
    const expectCached = [2, 3, 7, 8, 9, 10, 11];
    for (const [step, cached] of use3) assert.equal(cached, expectCached.includes(step), `step ${step}: ${third.logs.join('\n')}`);
    assert.notEqual(third.result.imageId, first.result.imageId);

    // --no-cache runs everything again (the cache is refreshed, not read).
    const fourth = await build({ ...req, noCache: true });
    assert.equal(fourth.result.cachedSteps, 0);

    // A store gc drops layers no image uses; pruning then forgets the cache entries that named them.
    const gc = await store.gc();
    const pruned = await new ImageBuilder({ store, workDir: join(dir, 'work') }).pruneCache();
    console.log(`gc removed ${gc.removedBlobs} blobs; prune removed ${pruned} cache entries`);
    assert.ok(gc.removedBlobs > 0 && pruned > 0);
    // The build stage's layers were only in the cache: its file steps run again; the exported stage's are in the image.
    const fifth = await build(req);
    const use5 = cacheUse(fifth.logs);
    const cached5 = [2, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17];
    for (const [step, cached] of use5) assert.equal(cached, cached5.includes(step), `step ${step}: ${fifth.logs.join('\n')}`);
    assert.equal(fifth.result.imageId, fourth.result.imageId);

    assert.deepEqual(await readdir(join(dir, 'work')), [], 'build scratch dirs removed');
    assert.deepEqual(await mountsUnder(dir), []);
    assert.deepEqual(await processesMentioning(prefix), []);
    assert.deepEqual(await cgroupsWithPrefix(prefix), []);
    assert.deepEqual(runcList(join(dir, 'run-bundle', 'runc')), []);
  });

  it('fails clearly, leaving nothing behind: a failing RUN, an unknown --chown user, an unknown --from', async () => {
    const context = join(dir, 'context');
    await assert.rejects(
      build({ tags: ['minato.local/bad:1'], dockerfile: `FROM ${BASE}\nRUN ["sh", "-c", "echo oops; exit 3"]\n`, noCache: true }),
      /exited with 3: oops/,
    );
    await assert.rejects(
      build({ tags: ['minato.local/bad:1'], dockerfile: `FROM ${BASE}\nCOPY --chown=nosuch:root run.sh /x\n`, contextDir: context }),
      /line 2: COPY failed: --chown=nosuch:root: user nosuch not found in the image's \/etc\/passwd/,
    );
    await assert.rejects(
      build({ tags: ['minato.local/bad:1'], dockerfile: `FROM ${BASE}\nCOPY --from=nope /x /x\n` }),
      /line 2: COPY failed: COPY --from=nope: image nope is not in the image store/,
    );
    await assert.rejects(
      build({ tags: ['minato.local/bad:1'], dockerfile: `FROM ${BASE}\nCOPY src/secret.key /x\n` }),
      /"src\/secret.key": not found in the build context \(or excluded by .dockerignore\)/,
    );
    assert.equal(await store.get('minato.local/bad:1'), undefined);
    assert.deepEqual(await readdir(join(dir, 'work')), []);
    assert.deepEqual(await cgroupsWithPrefix(prefix), []);
  });
});

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type { ContainerSpec } from '../container-runtime.ts';
import { cgroupLeftovers, hostCgroupFs } from './cgroups.ts';
import { RuncRuntime } from './runc-runtime.ts';
import { makeBusyboxRootfs, mountsUnder, processesMentioning, requireBinaries, runcList } from './test-support.ts';

const run = randomBytes(4).toString('hex');
const prefix = `minato-rt-${run}`;
let dataDir = '';
let rootfs = '';
let rt: RuncRuntime;
let seq = 0;

function spec(command: string[], extra: Partial<ContainerSpec> = {}): ContainerSpec {
  seq += 1;
  return {
    id: `c${run}-${seq}`, podUid: extra.podUid ?? 'pod-a', podNamespace: 'default', podName: 'p', containerName: `c${seq}`,
    rootfs, command, ...extra,
  };
}

async function waitExited(r: RuncRuntime, id: string, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const st = await r.containerStatus(id);
    if (st.state === 'exited') return st;
    if (Date.now() > deadline) throw new Error(`container ${id} still ${st.state}`);
    await new Promise((res) => setTimeout(res, 50));
  }
}

async function runToExit(s: ContainerSpec) {
  await rt.createContainer(s);
  await rt.startContainer(s.id);
  return waitExited(rt, s.id);
}

describe('RuncRuntime (root, runc + conmon)', () => {
  before(async () => {
    requireBinaries(['/usr/sbin/runc', '/usr/bin/conmon', '/bin/busybox']);
    dataDir = await mkdtemp(`/tmp/mrt-${run}-`);
    rootfs = join(dataDir, 'rootfs');
    await makeBusyboxRootfs(rootfs);
    rt = new RuncRuntime({ dataDir: join(dataDir, 'rt'), cgroupPrefix: prefix });
  });

  after(async () => {
    for (const c of await rt.listContainers()) await rt.removeContainer(c.id);
    const leftovers = {
      runc: runcList(join(dataDir, 'rt/runc')),
      cgroups: await cgroupLeftovers(hostCgroupFs, `/${prefix}`),
      mounts: await mountsUnder(dataDir),
      processes: await processesMentioning(dataDir),
    };
    await rm(dataDir, { recursive: true, force: true });
    assert.deepEqual(leftovers, { runc: [], cgroups: [], mounts: [], processes: [] }, 'host is clean');
  });

  it('reports the exit code and CRI-format logs', async () => {
    const s = spec(['sh', '-c', 'echo out-line; echo err-line >&2; exit 7']);
    const st = await runToExit(s);
    assert.equal(st.exitCode, 7);
    assert.equal(st.reason, 'Error');
    assert.ok(st.startedAt && st.finishedAt && st.finishedAt >= st.startedAt.slice(0, 19));
    const log = await readFile(rt.logPath(s.id), 'utf8');
    assert.match(log, /^\S+Z? stdout F out-line$/m);
    assert.match(log, /^\S+ stderr F err-line$/m);
    await rt.removeContainer(s.id);
    await assert.rejects(rt.containerStatus(s.id), /not found/);
  });

  it('applies env, args, workingDir and user', async () => {
    const s = spec(['sh', '-c', 'echo "foo=$FOO"; pwd; echo "uid=$(id -u) gid=$(id -g)"; echo "args=$*"', 'sh', 'a1', 'a2'], {
      env: { FOO: 'bar baz' }, workingDir: '/tmp', user: { uid: 1234, gid: 5678 },
    });
    const st = await runToExit(s);
    assert.equal(st.exitCode, 0);
    assert.equal(st.reason, 'Completed');
    const lines = (await readFile(rt.logPath(s.id), 'utf8')).split('\n').map((l) => l.split(' ').slice(3).join(' '));
    assert.deepEqual(lines.slice(0, 4), ['foo=bar baz', '/tmp', 'uid=1234 gid=5678', 'args=a1 a2']);
    await rt.removeContainer(s.id);
  });

  it('reports OOMKilled with exit code 137 when the memory limit is hit', async () => {
    const s = spec(['sh', '-c', `awk 'BEGIN{s="x"; while(length(s)<200000000) s=s s}'`], {
      resources: { memoryLimitBytes: 32 * 1024 * 1024 },
    });
    const st = await runToExit(s);
    assert.equal(st.exitCode, 137);
    assert.equal(st.reason, 'OOMKilled');
    await rt.removeContainer(s.id);
  });

  it('writes cpu/memory/pids limits to the cgroup, reports stats and runs exec', async () => {
    const s = spec(['sleep', '3600'], {
      resources: { cpuShares: 512, cpuQuotaUs: 50000, cpuPeriodUs: 100000, memoryLimitBytes: 64 << 20, pidsLimit: 64 },
      podUid: 'pod-b', readOnlyRootFilesystem: true, mounts: [{ type: 'tmpfs', containerPath: '/scratch' }],
    });
    await rt.createContainer(s);
    assert.equal((await rt.containerStatus(s.id)).state, 'created');
    await rt.startContainer(s.id);
    const st = await rt.containerStatus(s.id);
    assert.equal(st.state, 'running');
    assert.ok(st.pid && st.pid > 0);
    const cg = rt.cgroupsPath('pod-b', s.id);
    const read = (f: string) => readFile(join('/sys/fs/cgroup', f.split('.')[0] ?? '', cg, f), 'utf8').then((t) => t.trim());
    assert.equal(await read('cpu.cfs_quota_us'), '50000');
    assert.equal(await read('cpu.cfs_period_us'), '100000');
    assert.equal(await read('cpu.shares'), '512');
    assert.equal(await read('memory.limit_in_bytes'), String(64 << 20));
    assert.equal(await read('pids.max'), '64');
    const stats = await rt.stats(s.id);
    assert.ok(stats.cpuUsageNanoseconds > 0 && stats.memoryWorkingSetBytes > 0 && stats.pids >= 1, JSON.stringify(stats));

    const out = new PassThrough();
    let text = '';
    out.on('data', (d: Buffer) => (text += d.toString()));
    const code = await rt.exec(s.id, ['sh', '-c', 'echo hello-from-exec; touch /scratch/ok; touch /ro 2>/dev/null || echo rofs; exit 3'], { stdout: out });
    assert.equal(code, 3);
    assert.equal(text, 'hello-from-exec\nrofs\n');

    const input = new PassThrough();
    let echoed = '';
    const sink = new PassThrough().on('data', (d: Buffer) => (echoed += d.toString()));
    const pending = rt.exec(s.id, ['cat'], { stdin: input, stdout: sink });
    input.end('piped-in\n');
    assert.equal(await pending, 0);
    assert.equal(echoed, 'piped-in\n');

    let ttyOut = '';
    const ttySink = new PassThrough().on('data', (d: Buffer) => (ttyOut += d.toString()));
    assert.equal(await rt.exec(s.id, ['tty'], { tty: true, stdout: ttySink }), 0);
    assert.match(ttyOut, /\/dev\/pts\/\d+/);
    await rt.removeContainer(s.id);
    assert.deepEqual(await cgroupLeftovers(hostCgroupFs, `/${prefix}/pod-b`), []);
  });

  it('stops with TERM, then KILL after the grace period', async () => {
    const polite = spec(['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 0.1; done']);
    const stubborn = spec(['sleep', '3600']); // sleep as PID 1 has no TERM handler, so TERM is ignored
    for (const s of [polite, stubborn]) {
      await rt.createContainer(s);
      await rt.startContainer(s.id);
    }
    let t0 = Date.now();
    await rt.stopContainer(polite.id, 10);
    assert.ok(Date.now() - t0 < 5000);
    assert.equal((await rt.containerStatus(polite.id)).exitCode, 0);
    t0 = Date.now();
    await rt.stopContainer(stubborn.id, 1);
    const took = Date.now() - t0;
    assert.ok(took >= 1000 && took < 6000, `stop took ${took} ms`);
    assert.equal((await rt.containerStatus(stubborn.id)).exitCode, 137);
    await rt.stopContainer(stubborn.id, 1); // idempotent
  });

  it('a new instance over the same dirs lists and controls the old containers', async () => {
    const s = spec(['sleep', '3600'], { labels: { restartCount: '2' } });
    await rt.createContainer(s);
    await rt.startContainer(s.id);
    const again = new RuncRuntime({ dataDir: join(dataDir, 'rt'), cgroupPrefix: prefix });
    const found = (await again.listContainers()).find((c) => c.id === s.id);
    assert.equal(found?.state, 'running');
    assert.equal(found?.labels.restartCount, '2');
    assert.equal(found?.podUid, 'pod-a');
    await again.stopContainer(s.id, 0);
    assert.equal((await rt.containerStatus(s.id)).exitCode, 137);
    await again.removeContainer(s.id);
    assert.equal((await rt.listContainers()).some((c) => c.id === s.id), false);
  });

  it('removes a created, never started container', async () => {
    const s = spec(['sleep', '3600'], { podUid: 'pod-c' });
    await rt.createContainer(s);
    await rt.removeContainer(s.id);
    await rt.removeContainer(s.id); // idempotent
    assert.deepEqual(await cgroupLeftovers(hostCgroupFs, `/${prefix}/pod-c`), []);
  });

  it('fails create with runc\'s message for a bad command', async () => {
    const s = spec(['/no/such/binary']);
    await assert.rejects(rt.createContainer(s), /runc create .* failed/);
    assert.equal((await rt.listContainers()).some((c) => c.id === s.id), false);
  });

  it('measures create+start latency (p50 over 20)', async () => {
    const times: number[] = [];
    const createTimes: number[] = [];
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const s = spec(['sleep', '3600'], { podUid: 'pod-bench', resources: { memoryLimitBytes: 64 << 20, cpuQuotaUs: 50000, pidsLimit: 64 } });
      const t0 = performance.now();
      await rt.createContainer(s);
      createTimes.push(performance.now() - t0);
      await rt.startContainer(s.id);
      times.push(performance.now() - t0);
      ids.push(s.id);
    }
    times.sort((a, b) => a - b);
    createTimes.sort((a, b) => a - b);
    console.log(`create+start p50 ${times[10]?.toFixed(1)} ms, min ${times[0]?.toFixed(1)}, max ${times[19]?.toFixed(1)}; create alone p50 ${createTimes[10]?.toFixed(1)} ms`);
    const t0 = performance.now();
    for (const id of ids) await rt.removeContainer(id);
    console.log(`remove (KILL+delete) mean ${((performance.now() - t0) / ids.length).toFixed(1)} ms`);
  });
});

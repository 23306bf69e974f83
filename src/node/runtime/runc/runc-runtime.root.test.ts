import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ContainerSpec } from '../container-runtime.ts';
import { describeContainerRuntime, waitExited } from '../conformance/container-runtime-conformance.ts';
import { cgroupLeftovers, hostCgroupFs } from './cgroups.ts';
import { RuncRuntime } from './runc-runtime.ts';
import { makeBusyboxRootfs, mountsUnder, processesMentioning, requireBinaries, runcList } from './test-support.ts';

const run = randomBytes(4).toString('hex');
const prefix = `minato-rt-${run}`;
const required = ['/usr/sbin/runc', '/usr/bin/conmon', '/bin/busybox', '/usr/bin/perl'];

/** Everything this run could have left on the host; all lists must be empty. */
async function leftovers(dataDir: string) {
  return {
    runc: runcList(join(dataDir, 'rt/runc')),
    cgroups: await cgroupLeftovers(hostCgroupFs, `/${prefix}`),
    mounts: await mountsUnder(dataDir),
    processes: await processesMentioning(dataDir),
  };
}

let confDir = '';
describeContainerRuntime('RuncRuntime', {
  async setup() {
    requireBinaries(required);
    confDir = await mkdtemp(`/tmp/mrc-${run}-`);
    await makeBusyboxRootfs(join(confDir, 'rootfs'));
    return { runtime: this.reopen(), rootfs: join(confDir, 'rootfs') };
  },
  reopen: () => new RuncRuntime({ dataDir: join(confDir, 'rt'), cgroupPrefix: prefix }),
  async teardown() {
    const left = await leftovers(confDir);
    await rm(confDir, { recursive: true, force: true });
    assert.deepEqual(left, { runc: [], cgroups: [], mounts: [], processes: [] }, 'host is clean');
  },
});

describe('RuncRuntime specifics (root, runc + conmon)', () => {
  let dataDir = '';
  let rootfs = '';
  let rt: RuncRuntime;
  let seq = 0;
  const spec = (command: string[], extra: Partial<ContainerSpec> = {}): ContainerSpec => {
    seq += 1;
    return { id: `c${run}-${seq}`, podUid: 'pod-a', podNamespace: 'default', podName: 'p', containerName: `c${seq}`, rootfs, command, ...extra };
  };

  before(async () => {
    requireBinaries(required);
    dataDir = await mkdtemp(`/tmp/mrt-${run}-`);
    rootfs = join(dataDir, 'rootfs');
    await makeBusyboxRootfs(rootfs);
    rt = new RuncRuntime({ dataDir: join(dataDir, 'rt'), cgroupPrefix: prefix });
  });

  after(async () => {
    for (const c of await rt.listContainers()) await rt.removeContainer(c.id);
    const left = await leftovers(dataDir);
    await rm(dataDir, { recursive: true, force: true });
    assert.deepEqual(left, { runc: [], cgroups: [], mounts: [], processes: [] }, 'host is clean');
  });

  it('reports OOMKilled with exit code 137 when the memory limit is hit', async () => {
    const s = spec(['sh', '-c', `awk 'BEGIN{s="x"; while(length(s)<200000000) s=s s}'`], { resources: { memoryLimitBytes: 32 << 20 } });
    await rt.createContainer(s);
    await rt.startContainer(s.id);
    const st = await waitExited(rt, s.id);
    assert.deepEqual([st.exitCode, st.reason], [137, 'OOMKilled']);
    await rt.removeContainer(s.id);
  });

  it('writes cpu/memory/pids limits to the pod cgroup, reports stats, and removes the pod cgroup', async () => {
    const s = spec(['sleep', '3600'], {
      resources: { cpuShares: 512, cpuQuotaUs: 50000, cpuPeriodUs: 100000, memoryLimitBytes: 64 << 20, pidsLimit: 64 }, podUid: 'pod-b',
    });
    await rt.createContainer(s);
    await rt.startContainer(s.id);
    const cg = rt.cgroupsPath('pod-b', s.id);
    assert.equal(cg, `/${prefix}/pod-b/${s.id}`);
    const read = (f: string) => readFile(join('/sys/fs/cgroup', f.split('.')[0] ?? '', cg, f), 'utf8').then((t) => t.trim());
    assert.equal(await read('cpu.cfs_quota_us'), '50000');
    assert.equal(await read('cpu.cfs_period_us'), '100000');
    assert.equal(await read('cpu.shares'), '512');
    assert.equal(await read('memory.limit_in_bytes'), String(64 << 20));
    assert.equal(await read('pids.max'), '64');
    const stats = await rt.stats(s.id);
    assert.ok(stats.cpuUsageNanoseconds > 0 && stats.memoryWorkingSetBytes > 0 && stats.pids >= 1, JSON.stringify(stats));
    await rt.removeContainer(s.id);
    assert.deepEqual(await cgroupLeftovers(hostCgroupFs, `/${prefix}/pod-b`), []);
  });

  it('fails create with runc\'s message for a missing binary and leaves nothing behind', async () => {
    const s = spec(['/no/such/binary']);
    await assert.rejects(rt.createContainer(s), /runc create .* failed: .*no such file/i);
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
    console.log(`create+start p50 ${times[10]?.toFixed(1)} ms (min ${times[0]?.toFixed(1)}, max ${times[19]?.toFixed(1)}); create alone p50 ${createTimes[10]?.toFixed(1)} ms`);
    const t0 = performance.now();
    for (const id of ids) await rt.removeContainer(id);
    console.log(`remove of a running container (KILL + delete + cgroup rmdir) mean ${((performance.now() - t0) / ids.length).toFixed(1)} ms`);
  });
});

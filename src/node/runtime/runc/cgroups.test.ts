import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { oomKilled, readStats, removeEmptyCgroup } from './cgroups.ts';

describe('cgroup files (fake tree)', () => {
  let root = '';
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'minato-cg-'));
    const at = (ctl: string) => join(root, ctl, 'pfx/pod/c1');
    for (const c of ['memory', 'cpuacct', 'pids', 'unified']) await mkdir(at(c), { recursive: true });
    await writeFile(join(at('memory'), 'memory.oom_control'), 'oom_kill_disable 0\nunder_oom 0\noom_kill 0\n');
    await writeFile(join(at('unified'), 'memory.events'), 'low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n');
    await writeFile(join(at('memory'), 'memory.usage_in_bytes'), '1000000\n');
    await writeFile(join(at('memory'), 'memory.stat'), 'cache 10\ntotal_inactive_file 250000\n');
    await writeFile(join(at('cpuacct'), 'cpuacct.usage'), '123456789\n');
    await writeFile(join(at('pids'), 'pids.current'), '3\n');
  });
  after(() => rm(root, { recursive: true, force: true }));

  it('reads OOM kills from v1 oom_control or v2 memory.events', async () => {
    assert.equal(await oomKilled({ root }, '/pfx/pod/c1'), true);
    assert.equal(await oomKilled({ root }, '/pfx/pod/missing'), false);
  });

  it('computes the working set like the kubelet', async () => {
    assert.deepEqual(await readStats({ root }, '/pfx/pod/c1'),
      { cpuUsageNanoseconds: 123456789, memoryUsageBytes: 1000000, memoryWorkingSetBytes: 750000, pids: 3 });
    await assert.rejects(readStats({ root }, '/nope'), /not found/);
  });

  it('removes only empty parents', async () => {
    await removeEmptyCgroup({ root }, '/pfx/pod');
    assert.deepEqual(await readdir(join(root, 'memory/pfx/pod')), ['c1']);
  });
});

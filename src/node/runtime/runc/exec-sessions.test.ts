import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeStaleExecSessions } from './exec-sessions.ts';

test('removes exec session folders no live process refers to, keeps the one a process still uses', async () => {
  const root = await mkdtemp(join(tmpdir(), 'mz-exec-'));
  const execDir = join(root, 'exec');
  const live = join(execDir, 'live');
  const dead = join(execDir, 'dead');
  await mkdir(live, { recursive: true });
  await mkdir(dead, { recursive: true });
  // Stands in for conmon, which names its session folder in `--bundle <dir>` and `<dir>/pid`.
  const holder = spawn('/bin/sh', ['-c', 'sleep 30', 'conmon', '--bundle', live, `${live}/pid`], { stdio: 'ignore' });
  try {
    assert.deepEqual(await removeStaleExecSessions(execDir), [dead]);
    assert.deepEqual(await readdir(execDir), ['live']);
  } finally {
    holder.kill('SIGKILL');
    await once(holder, 'exit');
  }
  assert.deepEqual(await removeStaleExecSessions(execDir), [live]);
  assert.deepEqual(await removeStaleExecSessions(join(root, 'missing')), []);
  await rm(root, { recursive: true, force: true });
});

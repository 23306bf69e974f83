import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CommandLauncher } from './command-launcher.ts';

test('runs commands in the launcher process: output, exit codes, stdin, env, time-outs, missing binaries', async () => {
  const l = new CommandLauncher();
  try {
    const [echo, fail, cat, env, slow] = await Promise.all([
      l.launch({ kind: 'run', file: '/bin/sh', args: ['-c', 'echo out; echo err >&2'] }),
      l.launch({ kind: 'run', file: '/bin/sh', args: ['-c', 'exit 3'] }),
      l.launch({ kind: 'run', file: '/bin/cat', args: [], input: 'from stdin' }),
      l.launch({ kind: 'run', file: '/bin/sh', args: ['-c', 'echo "$ONLY:$HOME"'], env: { ONLY: 'this' } }),
      l.launch({ kind: 'run', file: '/bin/sleep', args: ['5'], timeoutMs: 100 }),
    ]);
    assert.deepEqual([echo.code, echo.stdout, echo.stderr], [0, 'out\n', 'err\n']);
    assert.equal(fail.code, 3);
    assert.equal(cat.stdout, 'from stdin');
    assert.equal(env.stdout, 'this:\n');
    assert.equal(slow.code, 124);
    await assert.rejects(l.launch({ kind: 'run', file: '/no/such/binary', args: [] }), /ENOENT/);
    // The commands ran in another process, not in this one.
    const ppid = await l.launch({ kind: 'run', file: '/bin/sh', args: ['-c', 'echo $PPID'] });
    assert.notEqual(Number(ppid.stdout.trim()), process.pid);
  } finally {
    l.close();
  }
});

test('a launcher that died is started again for the next command; the command in flight fails', async () => {
  const l = new CommandLauncher();
  try {
    const pid = Number((await l.launch({ kind: 'run', file: '/bin/sh', args: ['-c', 'echo $PPID'] })).stdout.trim());
    const inFlight = l.launch({ kind: 'run', file: '/bin/sleep', args: ['5'] });
    process.kill(pid, 'SIGKILL');
    await assert.rejects(inFlight, /launcher process exited/);
    const again = await l.launch({ kind: 'run', file: '/bin/echo', args: ['ok'] });
    assert.equal(again.stdout, 'ok\n');
  } finally {
    l.close();
  }
});

test('a cancelled command is killed (137); a background child holding the output pipe does not hold the answer', async () => {
  const l = new CommandLauncher();
  try {
    const abort = new AbortController();
    const started = Date.now();
    const sleeping = l.launch({ kind: 'run', file: '/bin/sleep', args: ['30'] }, abort.signal);
    setTimeout(() => abort.abort(), 50);
    assert.equal((await sleeping).code, 137);
    const leaky = await l.launch({ kind: 'run', file: '/bin/sh', args: ['-c', 'sleep 3 & echo done'] });
    assert.deepEqual([leaky.code, leaky.stdout], [0, 'done\n']);
    assert.ok(Date.now() - started < 2500, `took ${Date.now() - started} ms`);
  } finally {
    l.close();
  }
});

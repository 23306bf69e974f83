/**
 * Terminals and attach on the runc runtime (root, real runc + conmon): exec with a pty gets the
 * client's size at once and follows resizes; attach reaches the main process's stdin/pty with
 * stdinOnce semantics as CRI-O gives them; nothing of a session is left behind.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '../../../../test/support/eventually.ts';
import { SizeQueue } from '../../server/remote-command.ts';
import type { ContainerSpec, TerminalSize } from '../container-runtime.ts';
import { cgroupLeftovers, hostCgroupFs } from './cgroups.ts';
import { RuncRuntime } from './runc-runtime.ts';
import { makeBusyboxRootfs, processesMentioning, requireBinaries, runcList } from './test-support.ts';

const run = randomBytes(4).toString('hex');
const prefix = `minato-tty-${run}`;

/** A stream the test reads as text. */
function sink(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (d: Buffer) => (text += d.toString()));
  return { stream, text: () => text };
}

function sizes(...initial: TerminalSize[]): SizeQueue {
  const q = new SizeQueue();
  for (const s of initial) q.push(s);
  return q;
}

const until = (what: string, text: () => string, re: RegExp) => waitFor(what, async () => (re.test(text()) ? true : undefined), 10_000, 20);

describe('RuncRuntime terminals and attach (root, runc + conmon)', () => {
  let dir = '';
  let rt: RuncRuntime;
  let seq = 0;
  const create = async (command: string[], extra: Partial<ContainerSpec> = {}): Promise<string> => {
    seq += 1;
    const id = `t${run}-${seq}`;
    await rt.createContainer({ id, podUid: 'pod-t', podNamespace: 'default', podName: 'p', containerName: `c${seq}`, rootfs: join(dir, 'rootfs'), command, ...extra });
    await rt.startContainer(id);
    return id;
  };

  before(async () => {
    requireBinaries(['/usr/sbin/runc', '/usr/bin/conmon', '/bin/busybox', '/usr/bin/perl']);
    dir = await mkdtemp(`/tmp/mtt-${run}-`);
    await makeBusyboxRootfs(join(dir, 'rootfs'));
    rt = new RuncRuntime({ dataDir: join(dir, 'rt'), cgroupPrefix: prefix });
  });

  after(async () => {
    for (const c of await rt.listContainers()) await rt.removeContainer(c.id);
    const left = { runc: runcList(join(dir, 'rt/runc')), cgroups: await cgroupLeftovers(hostCgroupFs, `/${prefix}`), processes: await processesMentioning(dir) };
    await rm(dir, { recursive: true, force: true });
    assert.deepEqual(left, { runc: [], cgroups: [], processes: [] }, 'host is clean');
  });

  it('exec -t: the first size is the pty size from the start, later sizes resize it, the exit code comes back', async () => {
    const id = await create(['sleep', '3600']);
    const out = sink();
    const stdin = new PassThrough();
    const q = sizes({ width: 120, height: 40 });
    const done = rt.exec(id, ['sh'], { tty: true, stdin, stdout: out.stream, terminalSizes: q });
    stdin.write('stty size; tty\n');
    await until('initial size', out.text, /40 120\r\n\/dev\/pts\/\d+/);
    q.push({ width: 100, height: 33 });
    await waitFor('resized', async () => {
      stdin.write('stty size\n');
      await new Promise((r) => setTimeout(r, 100));
      return /33 100/.test(out.text()) ? true : undefined;
    }, 10_000, 0);
    stdin.write('exit 3\n');
    assert.equal(await done, 3);
    q.close();
  });

  it('exec -t without stdin runs on a pty of the given size; a missing binary is an error; abort kills the process', async () => {
    const id = await create(['sleep', '3600']);
    const out = sink();
    assert.equal(await rt.exec(id, ['sh', '-c', 'stty size; test -t 0 && echo is-a-tty'], { tty: true, stdout: out.stream, terminalSizes: sizes({ width: 77, height: 11 }) }), 0);
    assert.equal(out.text(), '11 77\r\nis-a-tty\r\n');
    await assert.rejects(rt.exec(id, ['no-such-binary'], { tty: true, stdout: sink().stream }), /runc exec failed: .*no-such-binary/);
    const abort = new AbortController();
    const t0 = performance.now();
    const slow = rt.exec(id, ['sleep', '100'], { tty: true, stdout: sink().stream, signal: abort.signal });
    setTimeout(() => abort.abort(), 300);
    assert.equal(await slow, 137);
    assert.ok(performance.now() - t0 < 5000, 'the aborted exec ended promptly');
    assert.deepEqual(await readdir(join(dir, 'rt/exec')), [], 'session dirs are removed');
  });

  it('attach to a tty+stdin shell: keystrokes in, output and resizes; without stdinOnce a later session can type again', async () => {
    const id = await create(['sh'], { stdin: true, tty: true });
    for (const round of [1, 2]) {
      const out = sink();
      const stdin = new PassThrough();
      const abort = new AbortController();
      const session = rt.attach(id, { tty: true, stdin, stdout: out.stream, terminalSizes: sizes({ width: 90 + round, height: 20 }), signal: abort.signal });
      await waitFor(`round ${round} answers`, async () => {
        stdin.write(`echo hi-$((6*${round + 5})); stty size\n`);
        await new Promise((r) => setTimeout(r, 150));
        return new RegExp(`hi-${6 * (round + 5)}\\r\\n20 ${90 + round}`).test(out.text()) ? true : undefined;
      }, 10_000, 0);
      abort.abort();
      await session;
    }
    assert.equal((await rt.containerStatus(id)).state, 'running');
  });

  it('attach -i with stdinOnce: input reaches the process and the end of input closes its stdin', async () => {
    const id = await create(['sh', '-c', 'while read l; do echo "got $l"; done; echo stdin-closed'], { stdin: true, stdinOnce: true });
    const out = sink();
    const stdin = new PassThrough();
    const session = rt.attach(id, { stdin, stdout: out.stream });
    stdin.end('one\ntwo\n');
    await session;
    assert.equal(out.text(), 'got one\ngot two\nstdin-closed\n');
    await waitFor('exit', async () => ((await rt.containerStatus(id)).state === 'exited' ? true : undefined));
    assert.equal((await rt.containerStatus(id)).exitCode, 0);
  });
});

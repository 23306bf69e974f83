/**
 * The behaviour every ContainerRuntime must show, as one node:test suite that each implementation
 * runs (Hono-style conformance). Commands are busybox shell one-liners; an implementation that
 * does not run real processes must interpret at least these.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type { ContainerRuntime, ContainerSpec, ContainerStatus } from '../container-runtime.ts';

/** What an implementation provides to the suite. */
export interface RuntimeHarness {
  /** Creates the runtime under test and a busybox rootfs its containers can use. */
  setup(): Promise<{ runtime: ContainerRuntime; rootfs: string }>;
  /** A second runtime over the same state, as after an agent restart. */
  reopen(): ContainerRuntime;
  /** Called after every container was removed; should assert the host is clean. */
  teardown(): Promise<void>;
}

/** Polls until the container has exited. */
export async function waitExited(rt: ContainerRuntime, id: string, timeoutMs = 15000): Promise<ContainerStatus> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const st = await rt.containerStatus(id);
    if (st.state === 'exited') return st;
    if (Date.now() > deadline) throw new Error(`container ${id} still ${st.state}`);
    await new Promise((res) => setTimeout(res, 50));
  }
}

/** Registers the conformance suite for one implementation. */
export function describeContainerRuntime(name: string, harness: RuntimeHarness): void {
  describe(`ContainerRuntime conformance: ${name}`, () => {
    let rt: ContainerRuntime;
    let rootfs = '';
    let seq = 0;
    const tag = Math.random().toString(16).slice(2, 8);
    const spec = (command: string[], extra: Partial<ContainerSpec> = {}): ContainerSpec => {
      seq += 1;
      return { id: `conf-${tag}-${seq}`, podUid: 'conf-pod', podNamespace: 'default', podName: 'p', containerName: `c${seq}`, rootfs, command, ...extra };
    };
    const runToExit = async (s: ContainerSpec) => {
      await rt.createContainer(s);
      await rt.startContainer(s.id);
      return waitExited(rt, s.id);
    };

    before(async () => {
      ({ runtime: rt, rootfs } = await harness.setup());
    });
    after(async () => {
      for (const c of await rt.listContainers()) await rt.removeContainer(c.id);
      await harness.teardown();
    });

    it('reports the exit code, times and CRI-format logs', async () => {
      const s = spec(['sh', '-c', 'echo out-line; echo err-line >&2; exit 7']);
      const st = await runToExit(s);
      assert.deepEqual([st.exitCode, st.reason, st.containerName, st.podUid], [7, 'Error', s.containerName, 'conf-pod']);
      assert.ok(st.startedAt && st.finishedAt && st.createdAt <= st.finishedAt);
      const log = await readFile(rt.logPath(s.id), 'utf8');
      assert.match(log, /^\S+ stdout F out-line$/m);
      assert.match(log, /^\S+ stderr F err-line$/m);
      await rt.removeContainer(s.id);
      await assert.rejects(rt.containerStatus(s.id), /not found/);
    });

    it('applies env, args, workingDir and user', async () => {
      const s = spec(['sh', '-c', 'echo "foo=$FOO"; pwd; echo "uid=$(id -u) gid=$(id -g)"; echo "args=$*"', 'sh', 'a1', 'a2'], {
        env: { FOO: 'bar baz' }, workingDir: '/tmp', user: { uid: 1234, gid: 5678 },
      });
      const st = await runToExit(s);
      assert.deepEqual([st.exitCode, st.reason], [0, 'Completed']);
      const lines = (await readFile(rt.logPath(s.id), 'utf8')).split('\n').map((l) => l.split(' ').slice(3).join(' '));
      assert.deepEqual(lines.slice(0, 4), ['foo=bar baz', '/tmp', 'uid=1234 gid=5678', 'args=a1 a2']);
      await rt.removeContainer(s.id);
    });

    it('runs exec with output, stdin, tty and exit code', async () => {
      const s = spec(['sleep', '3600'], { readOnlyRootFilesystem: true, mounts: [{ type: 'tmpfs', containerPath: '/scratch' }] });
      await rt.createContainer(s);
      assert.equal((await rt.containerStatus(s.id)).state, 'created');
      await rt.startContainer(s.id);
      const st = await rt.containerStatus(s.id);
      assert.equal(st.state, 'running');
      assert.ok(st.pid && st.pid > 0);
      let text = '';
      const out = new PassThrough().on('data', (d: Buffer) => (text += d.toString()));
      const code = await rt.exec(s.id, ['sh', '-c', 'echo hello-from-exec; touch /scratch/ok; touch /ro 2>/dev/null || echo rofs; exit 3'], { stdout: out });
      assert.equal(code, 3);
      assert.equal(text, 'hello-from-exec\nrofs\n');
      const input = new PassThrough();
      let echoed = '';
      const pending = rt.exec(s.id, ['cat'], { stdin: input, stdout: new PassThrough().on('data', (d: Buffer) => (echoed += d.toString())) });
      input.end('piped-in\n');
      assert.equal(await pending, 0);
      assert.equal(echoed, 'piped-in\n');
      let ttyOut = '';
      assert.equal(await rt.exec(s.id, ['tty'], { tty: true, stdout: new PassThrough().on('data', (d: Buffer) => (ttyOut += d.toString())) }), 0);
      assert.match(ttyOut, /\/dev\/pts\/\d+/);
      await rt.removeContainer(s.id);
    });

    it('stops with TERM, then KILL after the grace period', async () => {
      const polite = spec(['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 0.1; done']);
      const stubborn = spec(['sleep', '3600']); // PID 1 without a TERM handler: TERM is ignored
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

    it('a reopened runtime lists and controls the old containers', async () => {
      const s = spec(['sleep', '3600'], { labels: { restartCount: '2' } });
      await rt.createContainer(s);
      await rt.startContainer(s.id);
      const again = harness.reopen();
      const found = (await again.listContainers()).find((c) => c.id === s.id);
      assert.deepEqual([found?.state, found?.labels.restartCount, found?.podUid], ['running', '2', 'conf-pod']);
      await again.stopContainer(s.id, 0);
      assert.equal((await rt.containerStatus(s.id)).exitCode, 137);
      await again.removeContainer(s.id);
      assert.equal((await rt.listContainers()).some((c) => c.id === s.id), false);
    });

    it('removes created-but-not-started and unknown containers', async () => {
      const s = spec(['sleep', '3600']);
      await rt.createContainer(s);
      await rt.removeContainer(s.id);
      await rt.removeContainer(s.id);
      const empty = spec([]);
      await assert.rejects(rt.createContainer(empty), /empty command/);
      const ids = (await rt.listContainers()).map((c) => c.id);
      assert.ok(!ids.includes(s.id) && !ids.includes(empty.id), ids.join());
    });
  });
}

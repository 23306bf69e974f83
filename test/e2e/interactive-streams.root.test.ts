/**
 * Interactive streaming on a real node (root): `kubectl exec -it` and `kubectl attach -it` driven
 * through a real pseudo-terminal on the client side (util-linux `script` owns it; `stty -F` resizes
 * it, and the kernel sends kubectl SIGWINCH), against runc containers whose terminals conmon owns.
 * kubectl 1.33 speaks WebSocket (v5), kubectl 1.29 SPDY; both must carry the window size.
 */
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { sleepingPod, startAgentCluster, type AgentCluster } from '../support/agent-cluster.ts';
import { KUBECTL_DIR, kubectl, ok, type Kubectl } from '../support/kubectl.ts';
import type { ServerProcess } from '../support/minato-server.ts';
import { waitFor } from '../support/eventually.ts';
import { mountsUnder, processesMentioning, runcList } from '../../src/node/runtime/runc/test-support.ts';
import { manifestFile } from './e2e-helpers.ts';

const run = promisify(execFile);
const shellQuote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;

/** A command running on a fresh pseudo-terminal whose size the test controls. */
interface Terminal {
  output(): string;
  /** Keystrokes, as a terminal sends them (Enter is "\r"). */
  type(text: string): void;
  /** Sets the pty's size; the kernel sends SIGWINCH to the program in the foreground (kubectl). */
  resize(rows: number, cols: number): Promise<void>;
  /** Waits until the output after `from` matches `re`, typing `retype` again every second meanwhile. */
  expect(re: RegExp, opts?: { from?: number; retype?: string }): Promise<string>;
  exited: Promise<number | null>;
  child: ChildProcess;
}

/** Runs argv on a pty of rows×cols: `script` allocates it, prints its path (for resizing), sets its size, then execs argv. */
async function onTerminal(argv: string[], rows: number, cols: number): Promise<Terminal> {
  const script = `tty; stty rows ${rows} cols ${cols}; exec ${argv.map(shellQuote).join(' ')}`;
  const child = spawn('/usr/bin/script', ['-qfec', script, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ttyPath = await waitFor('the client pty path', async () => /\/dev\/pts\/\d+/.exec(out)?.[0], 10_000, 50);
  const t: Terminal = {
    output: () => out,
    type: (text) => void child.stdin?.write(text),
    resize: async (r, c) => void (await run('/usr/bin/stty', ['-F', ttyPath, 'rows', String(r), 'cols', String(c)])),
    async expect(re, opts = {}) {
      let lastType = Date.now();
      const seen = () => {
        const m = re.exec(out.slice(opts.from ?? 0));
        if (m) return m[0];
        if (opts.retype && Date.now() - lastType > 1000) {
          t.type(opts.retype);
          lastType = Date.now();
        }
        return undefined;
      };
      return waitFor(`${String(re)} on the terminal`, async () => seen(), 30_000, 50).catch((e: Error) => {
        throw new Error(`${e.message}; terminal output: ${JSON.stringify(out.slice(-400))}`);
      });
    },
    exited,
    child,
  };
  return t;
}

const PODS = (ns: string) => `${sleepingPod(ns, 'box')}
---
apiVersion: v1
kind: Pod
metadata: { name: shell, namespace: ${ns} }
spec:
  terminationGracePeriodSeconds: 1
  containers: [{ name: sh, image: minato.local/busybox:1, command: [sh], stdin: true, tty: true }]
---
apiVersion: v1
kind: Pod
metadata: { name: once, namespace: ${ns} }
spec:
  restartPolicy: Never
  containers:
    - name: reader
      image: minato.local/busybox:1
      command: [sh, -c, 'while read line; do echo "got $line"; done; echo stdin-closed']
      stdin: true
      stdinOnce: true
---
apiVersion: v1
kind: Pod
metadata: { name: ticker, namespace: ${ns} }
spec:
  terminationGracePeriodSeconds: 1
  containers: [{ name: main, image: minato.local/busybox:1, command: [sh, -c, 'while true; do echo tick; sleep 0.3; done'] }]
`;

describe('interactive exec and attach through a real terminal (root, runc + conmon)', { timeout: 180_000 }, () => {
  const id = randomBytes(3).toString('hex');
  const ns = `tty-${id}`;
  let cluster: AgentCluster | undefined;
  let dir = '';
  let server: ServerProcess;
  const k: Record<string, Kubectl> = {};
  const figures: Record<string, number> = {};

  /** kubectl's argv for a pty session (the Kubectl helper runs on pipes). */
  const kubectlArgv = (version: string, args: string[]) => [join(KUBECTL_DIR, `kubectl.${version}`), '--kubeconfig', server.kubeconfig, '--cache-dir', join(dir, `cache-${version}`), '-n', ns, ...args];
  /** Transports of the agent's stream sessions for `verb`, oldest first. */
  const sessions = (verb: string) =>
    server.logs().split('\n').filter((l) => l.includes('"stream session"')).map((l) => JSON.parse(l) as Record<string, string>)
      .filter((l) => l.verb === verb).map((l) => l.transport);
  const restarts = async (pod: string) => Number(await ok(k['1.33'] as Kubectl, ['-n', ns, 'get', 'pod', pod, '-o', 'jsonpath={.status.containerStatuses[0].restartCount}']));

  before(async () => {
    cluster = await startAgentCluster({ nodeName: `tty-node-${id}`, binaries: ['/usr/bin/perl', '/usr/bin/script', '/usr/bin/stty'], namespace: ns });
    ({ dir, server } = cluster);
    for (const v of ['1.33', '1.29']) k[v] = kubectl(v, server.kubeconfig);
    const k33 = k['1.33'] as Kubectl;
    await ok(k33, ['-n', ns, 'apply', '-f', manifestFile(PODS(ns))]);
    await ok(k33, ['-n', ns, 'wait', '--for=condition=Ready', 'pod/box', 'pod/shell', 'pod/once', 'pod/ticker', '--timeout=90s']);
  });

  after(async () => {
    process.stderr.write(`interactive-streams figures: ${JSON.stringify(figures)}\n`);
    if (server && server.child.exitCode === null) await server.stop();
    const left = dir ? { runc: runcList(join(dir, 'server/agent/runc/runc')), mounts: await mountsUnder(dir), processes: await processesMentioning(dir) } : undefined;
    await cluster?.close();
    if (left) assert.deepEqual(left, { runc: [], mounts: [], processes: [] }, 'nothing of the run is left on the host');
  });

  for (const [version, transport] of [['1.33', 'websocket'], ['1.29', 'spdy']] as const) {
    it(`kubectl ${version} exec -it (${transport}): the pty has the client's size, follows a resize, and returns the exit code`, async () => {
      const t0 = performance.now();
      const term = await onTerminal(kubectlArgv(version, ['exec', '-it', 'box', '--', 'sh']), 40, 120);
      await term.expect(/# /);
      figures[`execPromptMs${version}`] = Math.round(performance.now() - t0);
      term.type('stty size\r');
      await term.expect(/^40 120\r?$/m);
      const mark = term.output().length;
      await term.resize(33, 100);
      // The resize travels kubectl → API server → agent → conmon; ask until the shell sees it.
      await term.expect(/^33 100\r?$/m, { from: mark, retype: 'stty size\r' });
      term.type('exit 3\r');
      assert.equal(await term.exited, 3, term.output());
      assert.match(term.output(), /command terminated with exit code 3/);
      assert.equal(sessions('exec').at(-1), transport);
    });
  }

  for (const [version, transport] of [['1.33', 'websocket'], ['1.29', 'spdy']] as const) {
    it(`kubectl ${version} attach -it (${transport}) types into the container's sh; exit restarts it`, async () => {
      const before = await restarts('shell');
      const term = await onTerminal(kubectlArgv(version, ['attach', '-it', 'shell']), 40, 120);
      await term.expect(/If you don't see a command prompt/);
      term.type('echo hi-$((6*7))\r');
      await term.expect(/^hi-42\r?$/m);
      // kubectl sends size+1 and then the real size when it attaches (so the screen redraws).
      await term.expect(/^40 120\r?$/m, { retype: 'stty size\r' });
      const mark = term.output().length;
      await term.resize(30, 90);
      await term.expect(/^30 90\r?$/m, { from: mark, retype: 'stty size\r' });
      term.type('exit\r');
      assert.equal(await term.exited, 0, term.output());
      assert.equal(sessions('attach').at(-1), transport);
      // restartPolicy Always: the shell comes back, ready for the next attach.
      await waitFor('shell restarted', async () => ((await restarts('shell')) > before ? true : undefined), 60_000);
      await ok(k['1.33'] as Kubectl, ['-n', ns, 'wait', '--for=condition=Ready', 'pod/shell', '--timeout=60s']);
    });
  }

  it('kubectl run -it --rm: a stdinOnce tty pod, attached at once, deleted after exit', async () => {
    const term = await onTerminal(kubectlArgv('1.33', ['run', 'oneshot', '-it', '--rm', '--restart=Never', '--image=minato.local/busybox:1', '--', 'sh']), 40, 120);
    await term.expect(/If you don't see a command prompt/);
    await term.expect(/^hi-run-42\r?$/m, { retype: 'echo hi-run-$((6*7))\r' });
    term.type('exit\r');
    assert.equal(await term.exited, 0, term.output());
    assert.match(term.output(), /pod "oneshot" deleted/);
    const r = await (k['1.33'] as Kubectl)(['-n', ns, 'get', 'pod', 'oneshot']);
    assert.match(r.stderr, /NotFound/);
  });

  it('attach -i with stdinOnce: input reaches the process, and ending it closes the container stdin', async () => {
    const r = await (k['1.33'] as Kubectl)(['-n', ns, 'attach', '-i', 'once'], { input: 'one\ntwo\n' });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /got one\ngot two\nstdin-closed\n/);
    const phase = await waitFor('once completed', async () => {
      const p = await ok(k['1.33'] as Kubectl, ['-n', ns, 'get', 'pod', 'once', '-o', 'jsonpath={.status.phase}']);
      return p === 'Succeeded' ? p : undefined;
    });
    assert.equal(phase, 'Succeeded');
  });

  it('attach -i to a container without stdin streams its output and drops the input (as containerd does)', async () => {
    const term = await onTerminal(kubectlArgv('1.29', ['attach', '-i', 'ticker']), 24, 80);
    await term.expect(/tick\r?\ntick/);
    term.type('ignored\n');
    const mark = term.output().length;
    await term.expect(/tick/, { from: mark });
    term.child.kill('SIGTERM');
    await term.exited;
    assert.doesNotMatch(term.output(), /error/i);
    assert.equal(await restarts('ticker'), 0);
  });

  it('leaves no exec sessions behind', async () => {
    assert.deepEqual(await readdir(join(dir, 'server/agent/runc/exec')).catch(() => []), [], 'exec session dirs are removed');
    assert.deepEqual(await processesMentioning('attach-relay.pl'), []);
  });
});

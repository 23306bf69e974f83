/**
 * `exec -t` on the runc runtime, the way podman does it: `conmon --exec --exec-attach --terminal`
 * runs `runc exec --tty --console-socket`, receives the pty master over SCM_RIGHTS (which Node
 * cannot) and serves it on an attach socket; the window size goes in the process spec
 * (`consoleSize`, so the very first `stty size` sees it) and later sizes to the session's `ctl`
 * fifo. Sequence (conmon src/conmon.c): start pipe once → conmon sets up the socket and says so on
 * the attach pipe → we connect → start pipe again → runc exec → sync pipe: pid, then exit status.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import type { ExecOptions, TerminalSize } from '../container-runtime.ts';
import { startAttachRelay, type AttachRelay } from './attach-relay.ts';
import type { OciSpec } from './oci-spec.ts';
import { SyncMessages } from './sync-messages.ts';
import { forwardTerminalSizes } from './terminal-control.ts';

/** How long the exec waits for the client's first terminal size (kubectl sends it at once). */
const FIRST_SIZE_WAIT_MS = 500;

/** Where and how to run one terminal exec session. */
export interface TerminalExecTarget {
  conmon: string;
  runc: string;
  runcRoot: string;
  containerId: string;
  /** The container's bundle: its config.json gives the exec'd process user, env, cwd and capabilities. */
  bundle: string;
  /** A fresh directory for this session (process spec, attach socket, ctl fifo); removed afterwards. */
  sessionDir: string;
}

/** Runs `command` on a new pty in the container; resolves to its exit code (128+n for signal n). */
export async function execWithTerminal(t: TerminalExecTarget, command: string[], options: ExecOptions): Promise<number> {
  await mkdir(t.sessionDir, { recursive: true });
  try {
    return await runSession(t, command, options);
  } finally {
    await rm(t.sessionDir, { recursive: true, force: true });
  }
}

async function runSession(t: TerminalExecTarget, command: string[], options: ExecOptions): Promise<number> {
  const sizes = options.terminalSizes?.[Symbol.asyncIterator]();
  const firstSize = sizes?.next();
  const specPath = join(t.sessionDir, 'process.json');
  await writeFile(specPath, JSON.stringify(await execProcess(t.bundle, command, options.env)));
  const conmon = spawnExecConmon(t, specPath, options.stdin !== undefined);
  const sync = new SyncMessages(conmon.stdio[3] as Readable);
  let execPid = 0;
  const onAbort = () => (execPid > 0 ? killQuietly(execPid) : conmon.kill('SIGKILL'));
  options.signal?.addEventListener('abort', onAbort, { once: true });
  let relay: AttachRelay | undefined;
  try {
    relay = await attachWhenReady(t, conmon, options);
    const initial = firstSize ? await Promise.race([firstSize, delay(FIRST_SIZE_WAIT_MS).then(() => undefined)]) : undefined;
    const consoleSize = initial && !initial.done ? initial.value : undefined;
    await writeFile(specPath, JSON.stringify(await execProcess(t.bundle, command, options.env, consoleSize)));
    startPipe(conmon).end('1');
    const started = await sync.next();
    if (started.data <= 0) throw new Error(`runc exec failed: ${(started.message ?? 'no reason given').trim()}`);
    execPid = started.data;
    if (options.signal?.aborted) onAbort();
    if (sizes && firstSize) void forwardTerminalSizes(t.sessionDir, remainingSizes(initial ? undefined : firstSize, sizes));
    const exit = await sync.next();
    await relay.done;
    return exit.data;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    relay?.stop();
    conmon.kill('SIGKILL');
  }
}

/** Waits for conmon's attach socket, connects the client's streams to it, and returns the relay. */
async function attachWhenReady(t: TerminalExecTarget, conmon: ChildProcess, options: ExecOptions): Promise<AttachRelay> {
  const attachPipe = new SyncMessages(conmon.stdio.at(5) as Readable);
  startPipe(conmon).write('0');
  const ready = await attachPipe.next().catch((e: Error) => ({ data: -1, message: e.message }));
  if (ready.data !== 0) {
    conmon.kill('SIGKILL');
    throw new Error(`conmon did not set up the exec session: ${ready.message ?? ready.data}`);
  }
  const relay = startAttachRelay({ dir: t.sessionDir, stdin: options.stdin, stdout: options.stdout });
  try {
    await relay.connected;
  } catch (e) {
    conmon.kill('SIGKILL');
    throw e;
  }
  return relay;
}

/** conmon with `--sync` stays our child, so its exit is the session's end; fds 3/4/5 = sync/start/attach pipes. */
function spawnExecConmon(t: TerminalExecTarget, specPath: string, stdin: boolean): ChildProcess {
  const sessionId = `exec-${t.sessionDir.split('/').at(-1) ?? ''}`;
  const args = [
    '--exec', '--exec-attach', '--api-version', '1', '--terminal', ...(stdin ? ['--stdin'] : []),
    '--cid', t.containerId, '--cuuid', sessionId, '--name', sessionId, '--runtime', t.runc,
    '--runtime-arg', '--root', '--runtime-arg', t.runcRoot, '--bundle', t.sessionDir, '--full-attach',
    '--exec-process-spec', specPath, '--container-pidfile', join(t.sessionDir, 'pid'), '--log-path', 'none', '--sync',
  ];
  const child = spawn(t.conmon, args, {
    cwd: t.sessionDir,
    stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
    env: { ...process.env, _OCI_SYNCPIPE: '3', _OCI_STARTPIPE: '4', _OCI_ATTACHPIPE: '5' },
  });
  child.on('error', () => undefined); // shows up as the pipes closing without a message
  return child;
}

function startPipe(conmon: ChildProcess): Writable {
  const pipe = conmon.stdio[4] as Writable;
  pipe.on('error', () => undefined);
  return pipe;
}

/** The process spec for `runc exec --process`: the container's own process with our args, a tty and the size. */
async function execProcess(bundle: string, command: string[], env: Record<string, string> = {}, size?: TerminalSize) {
  const config = JSON.parse(await readFile(join(bundle, 'config.json'), 'utf8')) as Pick<OciSpec, 'process'>;
  const extraEnv = Object.entries(env).map(([k, v]) => `${k}=${v}`);
  const consoleSize = size && size.width > 0 && size.height > 0 ? { height: size.height, width: size.width } : undefined;
  return { ...config.process, terminal: true, args: command, env: [...config.process.env, ...extraEnv], ...(consoleSize ? { consoleSize } : {}) };
}

/** The sizes still to apply: the first one if it came after the process started, then every later one. */
async function* remainingSizes(pendingFirst: Promise<IteratorResult<TerminalSize>> | undefined, rest: AsyncIterator<TerminalSize>) {
  if (pendingFirst) {
    const r = await pendingFirst;
    if (r.done) return;
    yield r.value;
  }
  for (let r = await rest.next(); !r.done; r = await rest.next()) yield r.value;
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

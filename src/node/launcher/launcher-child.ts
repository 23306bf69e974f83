/**
 * The launcher process: runs the commands the agent asks for. It exists because forking the agent
 * itself is expensive — after fork every page of the agent's heap that it then writes takes a
 * copy-on-write fault, about 70 ms of kernel time per spawn at a 300 MB heap — while forking this
 * small process costs well under a millisecond. It exits when its stdin closes (the agent is gone).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { constants as osConstants } from 'node:os';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { readSyncMessage } from './sync-pipe.ts';
import type { LaunchRequest, LaunchResponse, RunRequest, SyncPipeRequest } from './launch-protocol.ts';

function reply(r: LaunchResponse): void {
  process.stdout.write(`${JSON.stringify(r)}\n`);
}

function failure(id: number, e: unknown): LaunchResponse {
  const err = e as NodeJS.ErrnoException;
  return { id, code: 127, stdout: '', stderr: '', error: { message: err.message ?? String(e), ...(err.code ? { code: err.code } : {}) } };
}

/** Commands in flight by request id, so that a cancel can reach them. */
const running = new Map<number, ChildProcess>();

/** How long output may still arrive after the command exited (a background child of it may hold the pipe open). */
const DRAIN_MS = 200;

function runCommand(req: RunRequest): void {
  const piped = req.input !== undefined || req.stdinPipe === true;
  const child = spawn(req.file, req.args, { env: req.env ?? process.env, stdio: [piped ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
  running.set(req.id, child);
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let timedOut = false;
  let answered = false;
  const answer = (r: LaunchResponse): void => {
    if (answered) return;
    answered = true;
    running.delete(req.id);
    if (timer) clearTimeout(timer);
    reply(r);
  };
  const timer = req.timeoutMs
    ? setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, req.timeoutMs)
    : undefined;
  child.stdout?.on('data', (b: Buffer) => out.push(b));
  child.stderr?.on('data', (b: Buffer) => err.push(b));
  child.on('error', (e) => answer(failure(req.id, e)));
  child.on('exit', (code, signal) => {
    const finish = (): void => {
      clearTimeout(drain);
      child.stdout?.destroy();
      child.stderr?.destroy();
      const exit = timedOut ? 124 : (code ?? 128 + (signal ? (osConstants.signals[signal] ?? 0) : 1));
      answer({ id: req.id, code: exit, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    };
    const drain = setTimeout(finish, DRAIN_MS);
    child.on('close', finish);
  });
  if (child.stdin) {
    // A command that exits before reading stdin makes the write fail with EPIPE; the exit code tells the story.
    child.stdin.on('error', () => undefined);
    child.stdin.end(req.input ?? '');
  }
}

function startSyncPipe(req: SyncPipeRequest): void {
  const child = spawn(req.file, req.args, {
    stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...req.env },
    ...(req.cwd ? { cwd: req.cwd } : {}),
    detached: true,
  });
  child.on('error', () => undefined); // reported through the sync pipe ending without a message
  child.unref();
  readSyncMessage(child.stdio[3] as Readable, req.timeoutMs).then(
    (msg) => reply({ id: req.id, code: 0, stdout: JSON.stringify(msg), stderr: '' }),
    (e: unknown) => reply(failure(req.id, e)),
  );
}

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  let req: LaunchRequest;
  try {
    req = JSON.parse(line) as LaunchRequest;
  } catch {
    return; // not ours; the agent only writes whole JSON lines
  }
  try {
    if (req.kind === 'sync-pipe') startSyncPipe(req);
    else if (req.kind === 'cancel') running.get(req.target)?.kill('SIGKILL');
    else runCommand(req);
  } catch (e) {
    reply(failure(req.id, e));
  }
});
lines.on('close', () => process.exit(0));

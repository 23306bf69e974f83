/**
 * The agent's side of its launcher process (see launcher-child.ts for why it exists): requests go
 * out as JSON lines, answers come back matched by id. The child is started on first use and again
 * after it dies; it holds the event loop open only while requests are in flight, so a CLI command
 * that used it still exits by itself.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import type { LaunchResponse, RunRequest, SyncPipeRequest } from './launch-protocol.ts';

type Pending = { resolve: (r: LaunchResponse) => void; reject: (e: Error) => void };
/** A request as callers write it; the launcher assigns the id. */
export type LaunchCall = Omit<RunRequest, 'id'> | Omit<SyncPipeRequest, 'id'>;

const CHILD = fileURLToPath(new URL('./launcher-child.ts', import.meta.url));

/** Runs commands in a small long-lived child process instead of forking this one. */
export class CommandLauncher {
  private child: ChildProcessWithoutNullStreams | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  /**
   * Sends one request and resolves with its answer; rejects when the command could not be started.
   * Aborting `signal` kills the command (SIGKILL); the answer then carries exit code 137.
   */
  launch(call: LaunchCall, signal?: AbortSignal): Promise<LaunchResponse> {
    const child = this.ensureChild();
    const id = this.nextId++;
    const cancel = (): void => void child.stdin.write(`${JSON.stringify({ id: this.nextId++, kind: 'cancel', target: id })}\n`);
    return new Promise<LaunchResponse>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.holdLoop(true);
      child.stdin.write(`${JSON.stringify({ ...call, id })}\n`);
      if (signal?.aborted) cancel();
      else signal?.addEventListener('abort', cancel, { once: true });
    }).finally(() => signal?.removeEventListener('abort', cancel)).then((r) => {
      if (r.error) throw Object.assign(new Error(`${call.file}: ${r.error.message}`), { code: r.error.code });
      return r;
    });
  }

  /**
   * Starts a detached daemon that reports on a sync pipe at fd 3 (conmon) and resolves with its
   * first message, e.g. `{"pid": 1234}`; the daemon outlives the launcher.
   */
  async startDetached(file: string, args: string[], opts: { env: Record<string, string>; cwd?: string; timeoutMs: number }): Promise<{ pid: number; message?: string }> {
    const r = await this.launch({ kind: 'sync-pipe', file, args, ...opts });
    return JSON.parse(r.stdout) as { pid: number; message?: string };
  }

  /** Stops the child; requests in flight fail. */
  close(): void {
    this.child?.stdin.end();
    this.child = undefined;
  }

  private ensureChild(): ChildProcessWithoutNullStreams {
    if (this.child) return this.child;
    const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), CHILD], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child = child;
    createInterface({ input: child.stdout }).on('line', (line) => this.answer(line));
    child.stderr.on('data', (b: Buffer) => process.stderr.write(`launcher: ${b.toString()}`));
    child.stdin.on('error', () => undefined); // the exit handler fails what was in flight
    child.on('exit', (code, signal) => {
      if (this.child === child) this.child = undefined;
      const err = new Error(`launcher process exited (${signal ?? code ?? 'unknown'}) with ${this.pending.size} command(s) in flight`);
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    });
    this.holdLoop(false);
    return child;
  }

  private answer(line: string): void {
    let r: LaunchResponse;
    try {
      r = JSON.parse(line) as LaunchResponse;
    } catch {
      return;
    }
    const p = this.pending.get(r.id);
    if (!p) return;
    this.pending.delete(r.id);
    if (this.pending.size === 0) this.holdLoop(false);
    p.resolve(r);
  }

  /** Keeps the event loop alive for the child only while an answer is awaited. */
  private holdLoop(hold: boolean): void {
    const c = this.child;
    if (!c) return;
    const handles = [c, c.stdout, c.stderr, c.stdin] as Array<{ ref(): void; unref(): void }>;
    for (const h of handles) {
      if (hold) h.ref();
      else h.unref();
    }
  }
}

let shared: CommandLauncher | undefined;

/**
 * The process's one launcher. A process-wide instance on purpose (an exception to "no module
 * state"): it stands for this process's ability to start commands, as fork itself does, and every
 * low-level command helper (runc, ip, nft, CNI plugins, mount) shares it.
 */
export function sharedLauncher(): CommandLauncher {
  shared ??= new CommandLauncher();
  return shared;
}

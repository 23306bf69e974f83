/**
 * Running the runc and conmon binaries. runc's container init inherits whatever stdio runc was
 * given, so short runc commands get no pipes that the container could keep open (the "stdio pipes
 * trap"): output is captured through temp files only for commands that never start a container.
 */
import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a short-lived command that starts no long-lived descendants, capturing its output. */
export function run(file: string, args: string[]): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** Like `run`, but throws with the command's stderr when it fails. */
export async function runOk(file: string, args: string[]): Promise<string> {
  const r = await run(file, args);
  if (r.code !== 0) throw new Error(`${file} ${args.join(' ')} failed (${r.code}): ${r.stderr.trim()}`);
  return r.stdout;
}

/**
 * Reads conmon's sync-pipe message (`{"pid": N}` or `{"pid": -1, "message": "..."}`) and
 * then lets go of the pipe: conmon keeps its end open for the container's whole life.
 */
export function readSyncMessage(stream: Readable, timeoutMs: number): Promise<{ pid: number; message?: string }> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => finish(new Error(`conmon gave no sync message within ${timeoutMs} ms`)), timeoutMs);
    function finish(err: Error | undefined, value?: { pid: number; message?: string }) {
      clearTimeout(timer);
      stream.removeAllListeners('data');
      stream.destroy();
      if (err) reject(err);
      else if (value) resolve(value);
    }
    stream.on('data', (d: Buffer) => {
      buf += d.toString();
      const end = buf.indexOf('}');
      if (end < 0) return;
      try {
        const msg = JSON.parse(buf.slice(0, end + 1)) as { pid?: number; data?: number; message?: string };
        finish(undefined, { pid: msg.pid ?? msg.data ?? -1, message: msg.message });
      } catch (e) {
        finish(e as Error);
      }
    });
    stream.on('error', (e) => finish(e));
    stream.on('end', () => finish(new Error(`conmon closed the sync pipe without a message: ${buf}`)));
  });
}

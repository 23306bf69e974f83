/**
 * `runc exec` without a terminal, in the foreground: runc stays the exec'd process's parent and
 * returns its exit code, and stdout/stderr stay apart. Terminal sessions go through conmon
 * instead (exec-terminal.ts), which owns the pty and applies window sizes.
 */
import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { ExecOptions } from '../container-runtime.ts';
import { sharedLauncher } from '../../launcher/command-launcher.ts';

/** How long to keep draining output after the exec'd process exited (a background child may hold the pipe). */
const DRAIN_MS = 200;

/** Spawns runc with the given arguments, wiring streams, and resolves to the exit code (128+n for signals). */
export function runExec(runc: string, args: string[], options: ExecOptions): Promise<number> {
  if (!options.stdin && !options.stdout && !options.stderr) return runDetachedExec(runc, args, options.signal);
  return new Promise((resolve, reject) => {
    const child = spawn(runc, args, { stdio: [options.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    const stdout = child.stdout as Readable;
    const stderr = child.stderr as Readable;
    let stderrText = '';
    if (options.stdin && child.stdin) {
      options.stdin.pipe(child.stdin);
      child.stdin.on('error', () => undefined); // the process may exit before reading all input
    }
    stdout.on('data', (d: Buffer) => options.stdout?.write(d));
    stderr.on('data', (d: Buffer) => {
      stderrText += d.toString();
      options.stderr?.write(d);
    });
    const onAbort = () => child.kill('SIGKILL');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      options.signal?.removeEventListener('abort', onAbort);
      const done = () => {
        stdout.destroy();
        stderr.destroy();
        if (code === 255 && /exec failed|container .* not running|does not exist/.test(stderrText)) {
          reject(new Error(`runc exec failed: ${stderrText.trim()}`));
        } else resolve(code ?? 128 + (signal === 'SIGKILL' ? 9 : 15));
      };
      let finished = false;
      const finish = () => {
        if (!finished) {
          finished = true;
          clearTimeout(timer);
          done();
        }
      };
      const timer = setTimeout(finish, DRAIN_MS);
      child.on('close', finish);
    });
  });
}

/**
 * An exec nobody watches (exec probes, preStop hooks) runs from the launcher process: they repeat
 * every few seconds per pod, and forking the agent's heap costs more than the probe.
 */
async function runDetachedExec(runc: string, args: string[], signal: AbortSignal | undefined): Promise<number> {
  const r = await sharedLauncher().launch({ kind: 'run', file: runc, args }, signal);
  if (r.code === 255 && /exec failed|container .* not running|does not exist/.test(r.stderr)) throw new Error(`runc exec failed: ${r.stderr.trim()}`);
  return r.code;
}

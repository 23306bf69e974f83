/**
 * `runc exec` in the foreground. runc stays the exec'd process's parent and returns its exit code.
 * With `--tty` and no console socket, runc makes the container's pty itself but insists on a
 * controlling terminal of its own (it opens /dev/tty), which Node cannot provide; util-linux
 * `script` gives it one and copies bytes to our pipes (stdout and stderr then arrive merged).
 */
import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { ExecOptions } from '../container-runtime.ts';

/** How long to keep draining output after the exec'd process exited (a background child may hold the pipe). */
const DRAIN_MS = 200;

/** Spawns runc with the given arguments, wiring streams, and resolves to the exit code (128+n for signals). */
export function runExec(runc: string, args: string[], options: ExecOptions): Promise<number> {
  const [file, argv] = options.tty ? ['/usr/bin/script', ['-qec', [runc, ...args].map(shellQuote).join(' '), '/dev/null']] : [runc, args];
  return new Promise((resolve, reject) => {
    const child = spawn(file, argv, { stdio: [options.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
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

function shellQuote(s: string): string {
  return `'${s.replaceAll("'", "'\\''")}'`;
}

import { spawn } from 'node:child_process';

/** Outcome of one finished command. */
export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Options for {@link runCommand}. */
export interface RunOptions {
  /** Written to the child's stdin, which is then closed. */
  input?: string;
  /** Replaces the environment entirely when given (CNI plugins must see only what we pass). */
  env?: NodeJS.ProcessEnv;
  /** Killed with SIGKILL after this long; the result then has code 124. */
  timeoutMs?: number;
}

/**
 * Runs a short-lived host tool (ip, nft, iptables, a CNI plugin) and collects its output. Only for
 * commands that exit by themselves: a daemon started this way would keep the pipes open (the
 * stdio-pipe trap in runtime-path.md).
 */
export function runCommand(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = opts.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          child.kill('SIGKILL');
        }, opts.timeoutMs)
      : undefined;
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => {
      if (timer) clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolve({
        code: timedOut ? 124 : (code ?? 1),
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
    // A plugin that exits before reading stdin makes the write fail with EPIPE; the exit code tells the story.
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input ?? '');
  });
}

/** Thrown by {@link mustRun} when a command exits non-zero. */
export class CommandError extends Error {
  constructor(
    readonly command: string,
    readonly result: CommandResult,
  ) {
    super(`${command} exited ${result.code}: ${result.stderr.trim() || result.stdout.trim()}`);
    this.name = 'CommandError';
  }
}

/** Like {@link runCommand} but throws {@link CommandError} on a non-zero exit; returns stdout. */
export async function mustRun(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<string> {
  const result = await runCommand(cmd, args, opts);
  if (result.code !== 0) throw new CommandError([cmd, ...args].join(' '), result);
  return result.stdout;
}

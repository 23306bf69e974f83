import { sharedLauncher } from './command-launcher.ts';

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
 * Runs a short-lived host tool (runc, ip, nft, iptables, a CNI plugin, mount) and collects its output. Only for
 * commands that exit by themselves: a daemon started this way would keep the pipes open (the
 * stdio-pipe trap in runtime-path.md).
 */
export async function runCommand(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<CommandResult> {
  // Through the launcher process: forking the agent's own large heap costs far more than the command.
  const env = opts.env ? definedEntries(opts.env) : undefined;
  const r = await sharedLauncher().launch({
    kind: 'run', file: cmd, args: [...args], stdinPipe: true,
    ...(opts.input !== undefined ? { input: opts.input } : {}),
    ...(env ? { env } : {}),
    ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
  });
  return { code: r.code, stdout: r.stdout, stderr: r.stderr };
}

function definedEntries(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
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

/**
 * Running the runc binary. runc's container init inherits whatever stdio runc was given, so only
 * commands that never start a container are run with output pipes (the "stdio pipes trap"); the
 * container itself is created by conmon (see `startDetached`).
 */
import { sharedLauncher } from '../../launcher/command-launcher.ts';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a short-lived command that starts no long-lived descendants, capturing its output (in the launcher process). */
export async function run(file: string, args: string[]): Promise<CommandResult> {
  const r = await sharedLauncher().launch({ kind: 'run', file, args });
  return { code: r.code, stdout: r.stdout, stderr: r.stderr };
}

/** Like `run`, but throws with the command's stderr when it fails. */
export async function runOk(file: string, args: string[]): Promise<string> {
  const r = await run(file, args);
  if (r.code !== 0) throw new Error(`${file} ${args.join(' ')} failed (${r.code}): ${r.stderr.trim()}`);
  return r.stdout;
}

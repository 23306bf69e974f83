/**
 * `kubectl attach` on the runc runtime: conmon owns the main process's stdio (a pty with `-t`, a
 * stdin pipe with `--stdin`) and serves it on `<bundle>/attach`; resizes go to `<bundle>/ctl`.
 * As with CRI-O, conmon closes the container's stdin when the first session that wrote to it ends
 * unless it was started with `--leave-stdin-open` (i.e. unless the pod asked for stdinOnce).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ContainerSpec, ExecOptions } from '../container-runtime.ts';
import { startAttachRelay } from './attach-relay.ts';
import { STDIN_ANNOTATION, type OciSpec } from './oci-spec.ts';
import { forwardTerminalSizes } from './terminal-control.ts';

/** conmon flags giving the main process a terminal and/or an attachable stdin, as CRI-O passes them. */
export function conmonStdioArgs(spec: Pick<ContainerSpec, 'stdin' | 'stdinOnce' | 'tty'>): string[] {
  const args: string[] = [];
  if (spec.tty) args.push('--terminal');
  if (spec.stdin) args.push('--stdin');
  if (spec.stdin && !spec.stdinOnce) args.push('--leave-stdin-open');
  return args;
}

/** Connects the client's streams to the main process of the container whose bundle is `bundle`. */
export async function attachToContainer(bundle: string, options: ExecOptions): Promise<void> {
  const config = JSON.parse(await readFile(join(bundle, 'config.json'), 'utf8')) as Pick<OciSpec, 'process' | 'annotations'>;
  const acceptsInput = config.annotations[STDIN_ANNOTATION] === 'true';
  // Like containerd, input for a container without stdin is read and dropped rather than refused.
  if (options.stdin && !acceptsInput) options.stdin.resume();
  const relay = startAttachRelay({ dir: bundle, stdin: acceptsInput ? options.stdin : undefined, stdout: options.stdout, stderr: options.stderr });
  const stop = () => relay.stop();
  options.signal?.addEventListener('abort', stop, { once: true });
  try {
    await relay.connected;
    if (config.process.terminal && options.terminalSizes) void forwardTerminalSizes(bundle, options.terminalSizes);
    await relay.done;
  } finally {
    options.signal?.removeEventListener('abort', stop);
    relay.stop();
  }
}

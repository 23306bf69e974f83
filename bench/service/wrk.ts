/**
 * Load from Debian's `wrk` (a client we did not write): fixed connections for a fixed time, one
 * thread per target address so "straight to the pods" spreads over both pods exactly as evenly as a
 * Service's random choice does, with the same number of client threads on every path.
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** What one wrk run measured. */
export interface WrkResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  requests: number;
  /** Socket errors (connect + read + write + timeout) and non-2xx/3xx answers. */
  errors: number;
}

/** One wrk run. */
export interface WrkRun {
  /** Each thread connects to one of these `host:port`, round robin. */
  targets: string[];
  connections: number;
  threads: number;
  seconds: number;
  /** New connection for every request (`Connection: close`) instead of HTTP/1.1 keep-alive. */
  closeEach: boolean;
  /** Where the generated Lua script goes. */
  scriptFile: string;
}

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

function duration(text: string | undefined): number {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(text ?? '');
  if (!m) throw new Error(`wrk: cannot read the duration ${text}`);
  return Number(m[1]) * (UNIT_MS[m[2] ?? ''] ?? Number.NaN);
}

/** Reads `wrk --latency` output. */
export function parseWrk(out: string): WrkResult {
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(out);
  const requests = /(\d+) requests in/.exec(out);
  if (!rps || !requests) throw new Error(`wrk: unexpected output\n${out}`);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(out);
  const errors = (socket ? socket.slice(1).reduce((a, b) => a + Number(b), 0) : 0) + Number(non2xx?.[1] ?? 0);
  return {
    requestsPerSecond: Number(rps[1]),
    p50Ms: duration(/^\s+50%\s+(\S+)/m.exec(out)?.[1]),
    p99Ms: duration(/^\s+99%\s+(\S+)/m.exec(out)?.[1]),
    maxMs: duration(/^\s+Latency\s+\S+\s+\S+\s+(\S+)/m.exec(out)?.[1]),
    requests: Number(requests[1]),
    errors,
  };
}

/** The Lua script pinning thread i to target i mod n. */
export function targetScript(targets: string[]): string {
  const list = targets.map((t) => {
    const i = t.lastIndexOf(':');
    return `{ ${JSON.stringify(t.slice(0, i))}, ${JSON.stringify(t.slice(i + 1))} }`;
  });
  return [
    `local targets = { ${list.join(', ')} }`,
    'local next_target = 0',
    'function setup(thread)',
    '  local t = targets[(next_target % #targets) + 1]',
    '  next_target = next_target + 1',
    '  thread.addr = wrk.lookup(t[1], t[2])[1]',
    'end',
    '',
  ].join('\n');
}

/** Runs wrk once and returns its figures. */
export async function runWrk(r: WrkRun): Promise<WrkResult> {
  await writeFile(r.scriptFile, targetScript(r.targets));
  const first = r.targets[0] ?? '';
  const args = ['-t', String(r.threads), '-c', String(r.connections), '-d', `${r.seconds}s`, '--timeout', '5s', '--latency', '-s', r.scriptFile];
  if (r.closeEach) args.push('-H', 'Connection: close');
  const { stdout } = await run('wrk', [...args, `http://${first}/`], { timeout: (r.seconds + 30) * 1000 });
  return parseWrk(stdout);
}

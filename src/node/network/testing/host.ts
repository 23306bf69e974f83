/** Helpers for the root tests of src/node/network: preconditions, per-run names, tiny servers in netns. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { runCommand } from '../../launcher/run-command.ts';

/** Throws (so the test FAILS rather than skips) when not root or when a required binary is missing. */
export function requireHost(binaries: string[]): void {
  if (process.getuid?.() !== 0) throw new Error('this test needs root (network namespaces, bridges, nftables)');
  const missing = binaries.filter((b) => (b.startsWith('/') ? !existsSync(b) : spawnSync('sh', ['-c', `command -v ${b}`]).status !== 0));
  if (missing.length > 0) throw new Error(`missing on this host: ${missing.join(', ')} (apt-get install -y containernetworking-plugins nftables iptables iproute2 busybox-static)`);
}

/** A short random id for this run's host objects ([a-z0-9]{6}). */
export function runId(): string {
  return randomBytes(4).toString('hex').slice(0, 6);
}

/** A /16 in 10.100-249 that no route on this host touches yet, so parallel sessions do not collide. */
export async function freeClusterCidr(): Promise<{ cluster: string; second: number }> {
  const routes = (await runCommand('ip', ['-4', 'route', 'show', 'table', 'all'])).stdout;
  for (let i = 0; i < 50; i++) {
    const second = 100 + (randomBytes(1)[0] ?? 0) % 150;
    if (!routes.includes(`10.${second}.`)) return { cluster: `10.${second}.0.0/16`, second };
  }
  throw new Error('no free 10.x.0.0/16 for the test');
}

/** Starts busybox httpd in a netns serving `body` at / on `port`; kill the returned process to stop it. */
export async function startHttpd(netns: string, dir: string, body: string, port = 8080): Promise<ChildProcess> {
  await mkdir(dir, { recursive: true });
  await writeFile(`${dir}/index.html`, body);
  const child = spawn('ip', ['netns', 'exec', netns, 'busybox', 'httpd', '-f', '-p', String(port), '-h', dir], { stdio: 'ignore' });
  // httpd binds quickly; poll the port from inside the netns rather than sleeping a guessed time.
  for (let i = 0; i < 100; i++) {
    const probe = await runCommand('ip', ['netns', 'exec', netns, 'busybox', 'wget', '-q', '-O', '-', `http://127.0.0.1:${port}/`], { timeoutMs: 2000 });
    if (probe.code === 0) return child;
    await new Promise((r) => setTimeout(r, 30));
  }
  child.kill('SIGKILL');
  throw new Error(`httpd in ${netns} did not start`);
}

/** GET / over a fresh TCP connection from this (host) process; resolves to the response body. */
export function httpGet(host: string, port: number, opts: { timeoutMs?: number; localAddress?: string } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host, port, localAddress: opts.localAddress });
    const chunks: Buffer[] = [];
    sock.setTimeout(opts.timeoutMs ?? 3000, () => sock.destroy(new Error(`timeout connecting to ${host}:${port}`)));
    sock.on('connect', () => sock.write('GET / HTTP/1.0\r\nHost: x\r\n\r\n'));
    sock.on('data', (b: Buffer) => chunks.push(b));
    sock.on('error', reject);
    sock.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const idx = text.indexOf('\r\n\r\n');
      if (idx < 0) reject(new Error(`no HTTP response from ${host}:${port}`));
      else resolve(text.slice(idx + 4).trim());
    });
  });
}

/** GET / from inside a netns with busybox wget (never `-T`, which segfaults in Debian's busybox 1.35). */
export async function httpGetFrom(netns: string, url: string, timeoutMs = 3000): Promise<string | undefined> {
  const res = await runCommand('ip', ['netns', 'exec', netns, 'busybox', 'wget', '-q', '-O', '-', url], { timeoutMs });
  return res.code === 0 ? res.stdout.trim() : undefined;
}

/** Stops a test server and waits for it to be gone. */
export async function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await gone;
}

/** p50 of a list of numbers. */
export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)] ?? NaN;
}

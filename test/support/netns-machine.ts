/**
 * A second "machine" for multi-node tests (root): a network namespace joined to the host by a veth pair
 * on a private /30 that exists only on those two veth ends, and a `minato agent` running inside it.
 * The agent enters only the network namespace (`nsenter --net`): `ip netns exec` would also remount
 * /sys and hide the cgroup hierarchies runc needs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { runCommand, type CommandResult } from '../../src/node/launcher/run-command.ts';
import { REPO_ROOT } from './minato-server.ts';

/** The netns machine and its link to the host. */
export interface NetnsMachine {
  netns: string;
  /** Host end of the veth pair and its address. */
  hostIf: string;
  hostIP: string;
  /** The machine's end and address (its node InternalIP). */
  machineIf: string;
  machineIP: string;
  /** Runs a short command inside the machine's network namespace. */
  exec(args: string[]): Promise<CommandResult>;
  /** Deletes the veth pair (both ends) and the namespace. */
  destroy(): Promise<void>;
}

/** A 10.250.x.y/30 that no address or route of this host mentions yet, so parallel runs do not collide. */
async function freeLinkNet(): Promise<{ hostIP: string; machineIP: string }> {
  const seen = (await runCommand('ip', ['-4', 'addr'])).stdout + (await runCommand('ip', ['-4', 'route', 'show', 'table', 'all'])).stdout;
  for (let i = 0; i < 50; i++) {
    const [a = 0, b = 0] = randomBytes(2);
    const base = `10.250.${a}.${b & 0xfc}`;
    const prefix = base.slice(0, base.lastIndexOf('.') + 1);
    const last = b & 0xfc;
    if (seen.includes(`${prefix}${last + 1}`) || seen.includes(`${prefix}${last + 2}`) || seen.includes(`${base}/30`)) continue;
    return { hostIP: `${prefix}${last + 1}`, machineIP: `${prefix}${last + 2}` };
  }
  throw new Error('no free 10.250.x.y/30 for the test machine');
}

async function must(args: string[]): Promise<void> {
  const r = await runCommand(args[0] ?? '', args.slice(1));
  if (r.code !== 0) throw new Error(`${args.join(' ')} → ${r.code}: ${r.stderr}`);
}

/** Creates netns `m2-<id>` and the veth pair `mzh<id>` (host) / `mzm<id>` (machine), both up, lo up inside. */
export async function createNetnsMachine(id: string): Promise<NetnsMachine> {
  const netns = `m2-${id}`;
  const hostIf = `mzh${id}`;
  const machineIf = `mzm${id}`;
  const { hostIP, machineIP } = await freeLinkNet();
  const inside = (args: string[]) => runCommand('ip', ['netns', 'exec', netns, ...args]);
  const destroy = async (): Promise<void> => {
    await runCommand('ip', ['link', 'del', 'dev', hostIf]); // takes the peer end with it
    await runCommand('ip', ['netns', 'del', netns]);
  };
  try {
    await must(['ip', 'netns', 'add', netns]);
    await must(['ip', 'link', 'add', hostIf, 'type', 'veth', 'peer', 'name', machineIf, 'netns', netns]);
    await must(['ip', 'addr', 'add', `${hostIP}/30`, 'dev', hostIf]);
    await must(['ip', 'link', 'set', hostIf, 'up']);
    await must(['ip', 'netns', 'exec', netns, 'ip', 'addr', 'add', `${machineIP}/30`, 'dev', machineIf]);
    await must(['ip', 'netns', 'exec', netns, 'ip', 'link', 'set', machineIf, 'up']);
    await must(['ip', 'netns', 'exec', netns, 'ip', 'link', 'set', 'lo', 'up']);
  } catch (e) {
    await destroy();
    throw e;
  }
  return { netns, hostIf, hostIP, machineIf, machineIP, exec: inside, destroy };
}

/** A `minato agent` process running inside a netns machine. */
export interface MachineAgent {
  child: ChildProcess;
  /** The tail of its stderr (structured logs), for failure messages. */
  logs(): string;
  /** SIGTERM and wait for the exit code. */
  stop(): Promise<number | null>;
}

/** Starts `minato agent <args>` in the machine's network namespace and waits for "node … is ready". */
export async function startMachineAgent(machine: NetnsMachine, args: string[], readyTimeoutMs = 60_000): Promise<MachineAgent> {
  const argv = [`--net=/run/netns/${machine.netns}`, process.execPath, join(REPO_ROOT, 'bin/minato.js'), 'agent', ...args];
  const child = spawn('nsenter', argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr?.on('data', (c: Buffer) => {
    err += c.toString();
    if (err.length > 200_000) err = err.slice(-100_000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`agent in ${machine.netns} not ready in time\n${err.slice(-4000)}`)), readyTimeoutMs);
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      if (/node \S+ is ready/.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`agent in ${machine.netns} exited with ${code}\n${out}\n${err.slice(-4000)}`));
    });
  });
  return {
    child,
    logs: () => err,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

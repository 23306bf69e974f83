import { mkdir, readdir, readFile, readlink, rm, rmdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { mustRun, runCommand } from '../../launcher/run-command.ts';

const IP_FORWARD = '/proc/sys/net/ipv4/ip_forward';

/**
 * Registers `user` as needing net.ipv4.ip_forward (the bridge plugin turns it on for the whole host).
 * The first user on the host records the value found before any of us in `<dir>/orig`; each user has a
 * file in `<dir>/users/`. The directory is host-wide (default /run/minato-net/ip-forward) so that several
 * pod networks on one machine — other nodes, other agents — agree on when forwarding may be turned off.
 */
export async function acquireIpForward(base: string, user: string): Promise<void> {
  const dir = await forThisNetns(base);
  await mkdir(`${dir}/users`, { recursive: true });
  const current = (await readFile(IP_FORWARD, 'utf8')).trim();
  await writeFile(`${dir}/orig`, current, { flag: 'wx' }).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'EEXIST') throw e;
  });
  await writeFile(`${dir}/users/${user}`, '');
}

/**
 * Drops `user`; the last one out puts ip_forward back to the recorded value — unless some bridge on the
 * host still has ports (someone else's pods rely on forwarding), in which case it is left on.
 */
export async function releaseIpForward(base: string, user: string): Promise<void> {
  const dir = await forThisNetns(base);
  await rm(`${dir}/users/${user}`, { force: true });
  const others = await readdir(`${dir}/users`).catch(() => []);
  if (others.length > 0) return;
  const orig = await readFile(`${dir}/orig`, 'utf8').then((t) => t.trim(), () => undefined);
  const slaves = (await runCommand('ip', ['-o', 'link', 'show', 'type', 'bridge_slave'])).stdout.trim();
  if (orig === '0' && slaves === '') await writeFile(IP_FORWARD, '0');
  if (slaves !== '') return;
  await rm(dir, { recursive: true, force: true });
  await rmdir(dirname(dir)).catch(() => undefined); // only if empty
}

/** The inode of the kernel's initial network namespace (PROC_NET_INIT_INO, 0xEFFFFFF9). */
const INIT_NETNS_INODE = '4026531833';

/**
 * ip_forward belongs to a network namespace. An agent running inside another one (a second "machine"
 * made of a netns, as the multi-node tests do) shares /run with the host but not the sysctl, so it
 * keeps its records in a sibling directory named after its namespace. In the host's namespace — PID
 * 1's, or the initial one when PID 1 cannot be inspected (a sandbox's init) — `base` itself is used.
 */
async function forThisNetns(base: string): Promise<string> {
  const own = await readlink('/proc/self/ns/net');
  const inode = /\d+/.exec(own)?.[0] ?? '';
  const init = await readlink('/proc/1/ns/net').catch(() => undefined);
  const isHost = init !== undefined ? own === init : inode === INIT_NETNS_INODE;
  return isHost ? base : `${base}-netns-${inode}`;
}

/** Sets a per-interface IPv4 sysctl such as route_localnet. */
export async function setInterfaceSysctl(ifName: string, key: string, value: string): Promise<void> {
  await writeFile(`/proc/sys/net/ipv4/conf/${ifName}/${key}`, value);
}

/** Creates a bridge if it does not exist and brings it up. */
export async function ensureBridge(name: string): Promise<void> {
  const show = await runCommand('ip', ['link', 'show', 'dev', name]);
  if (show.code !== 0) await mustRun('ip', ['link', 'add', 'name', name, 'type', 'bridge']);
  await mustRun('ip', ['link', 'set', 'dev', name, 'up']);
}

export async function deleteLink(name: string): Promise<void> {
  await runCommand('ip', ['link', 'del', 'dev', name]);
}

/** The named network namespaces, as `ip netns list` shows them. */
export async function listNetns(): Promise<string[]> {
  // `ip netns list` reads this directory too; reading it ourselves saves a fork per pod start and stop.
  try {
    return (await readdir(NETNS_DIR)).filter((n) => !n.startsWith('.'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

/** Where `ip netns add` keeps its named network namespaces. */
const NETNS_DIR = '/run/netns';

const HOSTPORT_CHAINS = ['CNI-HOSTPORT-DNAT', 'CNI-HOSTPORT-SETMARK', 'CNI-HOSTPORT-MASQ'];

/**
 * Removes the portmap plugin's shared nat chains and the jumps into them — but only when
 * CNI-HOSTPORT-DNAT has no per-container rules left: portmap shares these chains host-wide, and
 * another user's hostPorts must keep working.
 */
export async function removeHostportChainsIfUnused(): Promise<boolean> {
  const dnat = await runCommand('iptables', ['-w', '-t', 'nat', '-S', 'CNI-HOSTPORT-DNAT']);
  if (dnat.code !== 0) return true; // never created
  const inUse = dnat.stdout.split('\n').some((l) => l.startsWith('-A CNI-HOSTPORT-DNAT'));
  if (inUse) return false;
  const all = await mustRun('iptables', ['-w', '-t', 'nat', '-S']);
  for (const line of all.split('\n')) {
    // Jumps from built-in chains into the shared chains, e.g. "-A PREROUTING -m addrtype ... -j CNI-HOSTPORT-DNAT".
    if (!line.startsWith('-A ') || !HOSTPORT_CHAINS.some((c) => line.endsWith(`-j ${c}`))) continue;
    await runCommand('iptables', ['-w', '-t', 'nat', '-D', ...splitRule(line.slice(3))]);
  }
  for (const chain of HOSTPORT_CHAINS) {
    await runCommand('iptables', ['-w', '-t', 'nat', '-F', chain]);
    await runCommand('iptables', ['-w', '-t', 'nat', '-X', chain]);
  }
  // portmap made iptables-nft create `ip nat` (and probe `ip6 nat`); drop them if nothing else lives there.
  for (const family of ['ip', 'ip6']) await deleteTableIfEmpty(family, 'nat');
  return true;
}

const BUILTIN_CHAINS = new Set(['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING', 'FORWARD']);

/** Deletes an iptables-nft table holding no rules, sets or chains other than the built-in ones. */
async function deleteTableIfEmpty(family: string, table: string): Promise<void> {
  const res = await runCommand('nft', ['-j', 'list', 'table', family, table]);
  if (res.code !== 0) return;
  const items = (JSON.parse(res.stdout) as { nftables: Array<Record<string, { name?: string }>> }).nftables;
  const busy = items.some((i) => i.rule || i.set || i.map || (i.chain && !BUILTIN_CHAINS.has(i.chain.name ?? '')));
  if (!busy) await runCommand('nft', ['delete', 'table', family, table]);
}

/** Splits an `iptables -S` rule into arguments, honouring the double quotes used around comments. */
export function splitRule(rule: string): string[] {
  const args: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (const m of rule.matchAll(re)) args.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? ''));
  return args;
}

import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { mustRun, runCommand } from '../exec.ts';

const IP_FORWARD = '/proc/sys/net/ipv4/ip_forward';

/**
 * Remembers net.ipv4.ip_forward as it was before our first pod (the bridge plugin turns it on for the
 * whole host) in `stateDir`, so an agent restart still knows the original value.
 */
export async function recordIpForward(stateDir: string): Promise<void> {
  const file = `${stateDir}/ip_forward.orig`;
  try {
    await readFile(file, 'utf8');
  } catch {
    await mkdir(stateDir, { recursive: true });
    await writeFile(file, (await readFile(IP_FORWARD, 'utf8')).trim());
  }
}

/**
 * Puts ip_forward back when we were the ones who turned it on. Caveat: on a shared host another
 * network user that needs forwarding while we clean up would lose it; the host had it off before us.
 */
export async function restoreIpForward(stateDir: string): Promise<void> {
  const file = `${stateDir}/ip_forward.orig`;
  let orig: string;
  try {
    orig = (await readFile(file, 'utf8')).trim();
  } catch {
    return;
  }
  if (orig === '0') await writeFile(IP_FORWARD, '0');
  await rm(file, { force: true });
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

/** Names from `ip netns list` (first column; the `(id: N)` suffix is dropped). */
export async function listNetns(): Promise<string[]> {
  const out = await runCommand('ip', ['netns', 'list']);
  return out.stdout
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[0] ?? '')
    .filter((n) => n.length > 0);
}

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

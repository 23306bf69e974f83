/** Host set-up for the proxy's root tests: a client outside the cluster. */
import { randomBytes } from 'node:crypto';
import { mustRun, runCommand } from '../../launcher/run-command.ts';

/** A netns standing in for a machine on the node's network. */
export interface OutsideClient {
  ns: string;
  /** The client's own address. */
  address: string;
  /** The host's end of the link (a node address the client can reach NodePorts on). */
  hostAddress: string;
  /** Deletes the netns and its link; safe to call twice. */
  remove(): Promise<void>;
}

/**
 * A netns joined to the host by a veth on a /30 of 100.64.0.0/10 no route uses: an outside client
 * with its own address. Its lo stays down so 127/8 is not local there and the LB pool is routed to
 * the host; route_localnet (of this netns only) lets it send to and hear from the 127.x LB address.
 */
export async function startOutsideClient(id: string, lbPool: string): Promise<OutsideClient> {
  const routes = (await runCommand('ip', ['-4', 'route', 'show', 'table', 'all'])).stdout;
  let third = 0;
  for (let i = 0; i < 50 && !third; i++) {
    const t = 1 + ((randomBytes(1)[0] ?? 0) % 250);
    if (!routes.includes(`100.64.${t}.`)) third = t;
  }
  if (!third) throw new Error('no free 100.64.x.0/30 for the outside client');
  const base = 4 * ((randomBytes(1)[0] ?? 0) % 60);
  const hostAddress = `100.64.${third}.${base + 1}`;
  const address = `100.64.${third}.${base + 2}`;
  const ns = `mzc${id}`;
  const [hostIf, nsIf] = [`mzc${id}h`, `mzc${id}c`];
  const remove = async (): Promise<void> => {
    await runCommand('ip', ['netns', 'del', ns]); // takes the veth pair with it
    await runCommand('ip', ['link', 'del', hostIf]);
  };
  try {
    await mustRun('ip', ['netns', 'add', ns]);
    await mustRun('ip', ['link', 'add', hostIf, 'type', 'veth', 'peer', 'name', nsIf, 'netns', ns]);
    await mustRun('ip', ['addr', 'add', `${hostAddress}/30`, 'dev', hostIf]);
    await mustRun('ip', ['link', 'set', hostIf, 'up']);
    const inNs = (args: string[]) => mustRun('ip', ['netns', 'exec', ns, ...args]);
    await inNs(['ip', 'addr', 'add', `${address}/30`, 'dev', nsIf]);
    await inNs(['ip', 'link', 'set', nsIf, 'up']);
    await inNs(['sysctl', '-qw', `net.ipv4.conf.${nsIf}.route_localnet=1`, 'net.ipv4.conf.all.route_localnet=1']);
    await inNs(['ip', 'route', 'add', 'default', 'via', hostAddress]);
    await inNs(['ip', 'route', 'add', lbPool, 'via', hostAddress]);
  } catch (e) {
    await remove();
    throw e;
  }
  return { ns, address, hostAddress, remove };
}

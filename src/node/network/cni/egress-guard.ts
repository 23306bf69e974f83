import { mustRun, runCommand } from '../../launcher/run-command.ts';

/** Which traffic the guard lets pods forward. */
export interface EgressGuardSpec {
  /** nftables table (family ip) owned by this guard alone. */
  table: string;
  /** Sources the guard restricts: this node's pods. */
  podCidr: string;
  /** Destinations pods may reach through the host: every node's pods (Services are DNATed to them before the forward hook). */
  allowedCidrs: string[];
}

/**
 * Renders the guard as one nft table. A drop in any base chain is final in nftables, so this holds
 * whatever other tables (iptables-nft's FORWARD, other agents) accept. Service traffic is already
 * DNATed to a pod address when it reaches the forward hook, so only pod CIDRs need to be allowed.
 */
export function renderEgressGuard(spec: EgressGuardSpec): string {
  const allowed = spec.allowedCidrs.join(', ');
  return [
    `table ip ${spec.table} {`,
    '  chain forward {',
    '    type filter hook forward priority filter - 5; policy accept;',
    // Only connections pods open: replies to clients outside keep flowing (externalTrafficPolicy Local keeps their address).
    `    ct direction original ip saddr ${spec.podCidr} ip daddr != { ${allowed} } counter drop`,
    '  }',
    '}',
    '',
  ].join('\n');
}

/** Installs (or replaces) the guard table atomically. */
export async function installEgressGuard(spec: EgressGuardSpec): Promise<void> {
  const text = `table ip ${spec.table} {}\ndelete table ip ${spec.table}\n${renderEgressGuard(spec)}`;
  await mustRun('nft', ['-f', '-'], { input: text });
}

/** Removes the guard table; absent is fine. */
export async function removeEgressGuard(table: string): Promise<void> {
  await runCommand('nft', ['delete', 'table', 'ip', table]);
}

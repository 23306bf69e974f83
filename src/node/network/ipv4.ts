/** IPv4 address and CIDR arithmetic on plain numbers (addresses as unsigned 32-bit integers). */

/** A parsed IPv4 prefix such as 10.244.0.0/16. */
export interface Ipv4Cidr {
  /** Network address (host bits zeroed). */
  base: number;
  bits: number;
}

/** Parses dotted-quad notation; throws on anything else. */
export function parseIpv4(text: string): number {
  const parts = text.split('.');
  if (parts.length !== 4) throw new Error(`not an IPv4 address: ${text}`);
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) throw new Error(`not an IPv4 address: ${text}`);
    n = n * 256 + Number(p);
  }
  return n;
}

/** True when `text` is a dotted-quad IPv4 address. */
export function isIpv4(text: string): boolean {
  try {
    parseIpv4(text);
    return true;
  } catch {
    return false;
  }
}

export function formatIpv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** Parses `a.b.c.d/n`, zeroing host bits. */
export function parseCidr(text: string): Ipv4Cidr {
  const [addr, bitsText] = text.split('/');
  const bits = Number(bitsText);
  if (addr === undefined || !Number.isInteger(bits) || bits < 0 || bits > 32) throw new Error(`not an IPv4 CIDR: ${text}`);
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return { base: (parseIpv4(addr) & mask) >>> 0, bits };
}

export function formatCidr(c: Ipv4Cidr): string {
  return `${formatIpv4(c.base)}/${c.bits}`;
}

export function cidrSize(c: Ipv4Cidr): number {
  return 2 ** (32 - c.bits);
}

export function cidrContains(c: Ipv4Cidr, ip: number): boolean {
  return ip >= c.base && ip < c.base + cidrSize(c);
}

/**
 * The `index`-th subnet of size `/bits` inside `cluster`: podCidrForNode('10.244.0.0/16', 3) is
 * 10.244.3.0/24. Each node of a cluster gets its own so host-local IPAM never hands out one address twice.
 */
export function subnetAt(cluster: string, index: number, bits = 24): string {
  const c = parseCidr(cluster);
  if (bits < c.bits) throw new Error(`/${bits} is larger than ${cluster}`);
  const count = 2 ** (bits - c.bits);
  if (!Number.isInteger(index) || index < 0 || index >= count) throw new Error(`subnet index ${index} outside ${cluster} (/${bits})`);
  return formatCidr({ base: c.base + index * 2 ** (32 - bits), bits });
}

import type { KubeObject } from '../../api/types.ts';
import { invalid } from '../status-error.ts';

export interface ServiceNetworkConfig {
  /** IPv4 CIDR for ClusterIPs, e.g. `10.96.0.0/16`; the first address goes to the `kubernetes` Service. */
  serviceCidr: string;
  nodePortRange: { min: number; max: number };
}

function ipToInt(ip: string): number {
  return ip.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
}

function intToIp(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

export function parseCidr(cidr: string): { base: number; size: number } {
  const [ip, bits] = cidr.split('/');
  const prefix = Number(bits);
  const size = 2 ** (32 - prefix);
  return { base: Math.floor(ipToInt(ip as string) / size) * size, size };
}

export function firstServiceIp(cidr: string): string {
  return intToIp(parseCidr(cidr).base + 1);
}

interface ServicePort {
  nodePort?: number;
  port?: number;
}

/**
 * Assigns ClusterIPs and NodePorts, checking requested ones against what existing Services hold.
 * The caller serialises allocations (one at a time) so two creates never pick the same address.
 */
export function allocateServiceAddresses(svc: KubeObject, existing: KubeObject[], cfg: ServiceNetworkConfig): void {
  const spec = (svc.spec ??= {}) as Record<string, unknown>;
  const name = svc.metadata?.name ?? '';
  const type = (spec.type as string | undefined) ?? 'ClusterIP';
  const usedIps = new Set(existing.map((s) => (s.spec as Record<string, unknown> | undefined)?.clusterIP as string | undefined).filter(Boolean));
  const usedPorts = new Set(
    existing.flatMap((s) => {
      const other = (s.spec ?? {}) as Record<string, unknown>;
      return [...((other.ports ?? []) as ServicePort[]).map((p) => p.nodePort), other.healthCheckNodePort as number | undefined];
    }).filter(Boolean),
  );
  if (type !== 'ExternalName') {
    const requested = spec.clusterIP as string | undefined;
    if (requested === 'None') {
      spec.clusterIPs = ['None'];
    } else if (requested) {
      const { base, size } = parseCidr(cfg.serviceCidr);
      const n = ipToInt(requested);
      if (n <= base || n >= base + size - 1) {
        throw invalid('', 'Service', name, [{ field: 'spec.clusterIPs', type: 'FieldValueInvalid', value: requested, detail: `failed to allocate IP ${requested}: the provided IP (${requested}) is not in the valid range. The range of valid IPs is ${cfg.serviceCidr}` }]);
      }
      if (usedIps.has(requested)) {
        throw invalid('', 'Service', name, [{ field: 'spec.clusterIPs', type: 'FieldValueInvalid', value: [requested], detail: `failed to allocate IP ${requested}: provided IP is already allocated` }]);
      }
      spec.clusterIPs = [requested];
    } else {
      spec.clusterIP = pickIp(cfg.serviceCidr, usedIps);
      spec.clusterIPs = [spec.clusterIP];
    }
  }
  const wantsHealthPort = type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local';
  if (!wantsHealthPort) delete spec.healthCheckNodePort;
  // Requested ports are claimed before any is picked, so a picked port never takes a requested one.
  if (wantsHealthPort && spec.healthCheckNodePort) claimPort(spec.healthCheckNodePort as number, 'spec.healthCheckNodePort', name, usedPorts);
  if (type === 'NodePort' || type === 'LoadBalancer') {
    for (const [i, port] of ((spec.ports ?? []) as ServicePort[]).entries()) {
      if (port.nodePort) {
        if (usedPorts.has(port.nodePort)) {
          throw invalid('', 'Service', name, [{ field: `spec.ports[${i}].nodePort`, type: 'FieldValueInvalid', value: port.nodePort, detail: 'provided port is already allocated' }]);
        }
      } else port.nodePort = pickPort(cfg, usedPorts);
      usedPorts.add(port.nodePort);
    }
  }
  if (wantsHealthPort && !spec.healthCheckNodePort) spec.healthCheckNodePort = pickPort(cfg, usedPorts);
}

function claimPort(port: number, field: string, name: string, usedPorts: Set<number | undefined>): void {
  if (usedPorts.has(port)) throw invalid('', 'Service', name, [{ field, type: 'FieldValueInvalid', value: port, detail: 'provided port is already allocated' }]);
  usedPorts.add(port);
}

function pickIp(cidr: string, used: Set<string | undefined>): string {
  const { base, size } = parseCidr(cidr);
  // Random start spreads allocations like upstream's bitmap allocator; the scan guarantees success if any is free.
  const start = 2 + Math.floor(Math.random() * (size - 3));
  for (let i = 0; i < size - 3; i++) {
    const candidate = intToIp(base + 2 + ((start - 2 + i) % (size - 3)));
    if (!used.has(candidate)) return candidate;
  }
  throw new Error(`no ClusterIP left in ${cidr}`);
}

function pickPort(cfg: ServiceNetworkConfig, used: Set<number | undefined>): number {
  const span = cfg.nodePortRange.max - cfg.nodePortRange.min + 1;
  const start = Math.floor(Math.random() * span);
  for (let i = 0; i < span; i++) {
    const p = cfg.nodePortRange.min + ((start + i) % span);
    if (!used.has(p)) return p;
  }
  throw new Error('no NodePort left');
}

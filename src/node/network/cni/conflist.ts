import type { CniNetworkList } from './types.ts';

/** What a node's pod network looks like. */
export interface BridgeNetworkSpec {
  /** Network name as CNI sees it (appears in plugin caches and error messages). */
  name: string;
  /** Linux bridge the pods' veths attach to (at most 15 characters). */
  bridge: string;
  /** This node's pod subnet, e.g. 10.244.1.0/24; the bridge takes its first address as gateway. */
  podCidr: string;
  /** host-local IPAM's allocation directory; removing it forgets every reservation. */
  ipamDataDir: string;
  mtu?: number;
}

/**
 * The conflist Minato uses: bridge with host-local IPAM (the pod's default route points at the bridge,
 * no masquerading so pod traffic cannot be disguised as the host's), portmap for hostPorts, loopback.
 */
export function bridgeNetworkList(spec: BridgeNetworkSpec): CniNetworkList {
  if (spec.bridge.length > 15) throw new Error(`bridge name ${spec.bridge} is longer than 15 characters`);
  return {
    cniVersion: '1.0.0',
    name: spec.name,
    plugins: [
      {
        type: 'bridge',
        bridge: spec.bridge,
        isGateway: true,
        isDefaultGateway: true,
        ipMasq: false,
        hairpinMode: true,
        ...(spec.mtu ? { mtu: spec.mtu } : {}),
        ipam: { type: 'host-local', ranges: [[{ subnet: spec.podCidr }]], dataDir: spec.ipamDataDir },
      },
      // snat lets the host reach its own hostPorts through 127.0.0.1 (portmap masquerades those).
      { type: 'portmap', capabilities: { portMappings: true }, snat: true },
      { type: 'loopback' },
    ],
  };
}

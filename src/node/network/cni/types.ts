/** The slice of the CNI 1.0.0 specification Minato uses (network configuration lists and ADD results). */

/** One plugin entry of a configuration list; plugin-specific keys are kept as they are. */
export interface CniPluginConfig {
  type: string;
  /** Runtime capabilities this plugin accepts, e.g. `{ portMappings: true }`. */
  capabilities?: Record<string, boolean>;
  [key: string]: unknown;
}

/** A network configuration list (`.conflist`). */
export interface CniNetworkList {
  cniVersion: string;
  name: string;
  plugins: CniPluginConfig[];
}

/** A hostPort mapping as the portmap plugin's `portMappings` capability expects it. */
export interface CniPortMapping {
  hostPort: number;
  containerPort: number;
  protocol: 'tcp' | 'udp' | 'sctp';
  hostIP?: string;
}

/** Per-invocation data passed to capable plugins as `runtimeConfig`. */
export interface CniRuntimeConfig {
  portMappings?: CniPortMapping[];
  [capability: string]: unknown;
}

/** The attachment being added or deleted. */
export interface CniAttachment {
  containerId: string;
  netnsPath: string;
  ifName: string;
  runtimeConfig?: CniRuntimeConfig;
}

/** The CNI 1.0.0 success result. */
export interface CniResult {
  cniVersion: string;
  interfaces?: Array<{ name: string; mac?: string; sandbox?: string }>;
  ips?: Array<{ address: string; gateway?: string; interface?: number }>;
  routes?: Array<{ dst: string; gw?: string }>;
  dns?: Record<string, unknown>;
}

/** The CNI error result (`code`, `msg`, `details`), raised when a plugin exits non-zero. */
export class CniError extends Error {
  constructor(
    readonly plugin: string,
    readonly command: string,
    readonly code: number,
    readonly details: string,
  ) {
    super(`CNI ${command} ${plugin} failed (code ${code}): ${details}`);
    this.name = 'CniError';
  }
}

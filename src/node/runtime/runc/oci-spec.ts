/**
 * Builds the OCI runtime `config.json` for one container. Defaults follow what containerd's CRI
 * plugin gives a Kubernetes container (capability set, masked and read-only /proc paths, /dev
 * and /sys mounts), adjusted for these machines: no negative oomScoreAdj (CAP_SYS_RESOURCE is
 * missing, and runc aborts when it cannot write one) and rlimits never above the agent's own.
 */
import type { ContainerSpec, MountSpec } from '../container-runtime.ts';

/** The subset of the OCI runtime spec this runtime writes. */
export interface OciSpec {
  ociVersion: string;
  process: {
    terminal: boolean;
    user: { uid: number; gid: number; additionalGids?: number[] };
    args: string[];
    env: string[];
    cwd: string;
    capabilities: Record<'bounding' | 'effective' | 'permitted' | 'inheritable' | 'ambient', string[]>;
    rlimits: Array<{ type: string; hard: number; soft: number }>;
    noNewPrivileges: boolean;
    oomScoreAdj: number;
  };
  root: { path: string; readonly: boolean };
  hostname: string;
  mounts: Array<{ destination: string; type: string; source: string; options: string[] }>;
  annotations: Record<string, string>;
  linux: {
    namespaces: Array<{ type: string; path?: string }>;
    cgroupsPath: string;
    resources: {
      devices: Array<{ allow: boolean; access: string }>;
      memory?: { limit: number; swap?: number };
      cpu?: { shares?: number; quota?: number; period?: number };
      pids?: { limit: number };
    };
    maskedPaths: string[];
    readonlyPaths: string[];
  };
}

/** containerd's default capability set for CRI containers. */
export const DEFAULT_CAPABILITIES = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FSETID', 'CAP_FOWNER', 'CAP_MKNOD', 'CAP_NET_RAW', 'CAP_SETGID',
  'CAP_SETUID', 'CAP_SETFCAP', 'CAP_SETPCAP', 'CAP_NET_BIND_SERVICE', 'CAP_SYS_CHROOT', 'CAP_KILL', 'CAP_AUDIT_WRITE',
];

/** Every capability up to CAP_CHECKPOINT_RESTORE, for privileged containers. */
const ALL_CAPABILITIES = [
  ...DEFAULT_CAPABILITIES, 'CAP_DAC_READ_SEARCH', 'CAP_LINUX_IMMUTABLE', 'CAP_NET_BROADCAST', 'CAP_NET_ADMIN',
  'CAP_IPC_LOCK', 'CAP_IPC_OWNER', 'CAP_SYS_MODULE', 'CAP_SYS_RAWIO', 'CAP_SYS_PTRACE', 'CAP_SYS_PACCT',
  'CAP_SYS_ADMIN', 'CAP_SYS_BOOT', 'CAP_SYS_NICE', 'CAP_SYS_RESOURCE', 'CAP_SYS_TIME', 'CAP_SYS_TTY_CONFIG',
  'CAP_LEASE', 'CAP_AUDIT_CONTROL', 'CAP_MAC_OVERRIDE', 'CAP_MAC_ADMIN', 'CAP_SYSLOG', 'CAP_WAKE_ALARM',
  'CAP_BLOCK_SUSPEND', 'CAP_AUDIT_READ', 'CAP_PERFMON', 'CAP_BPF', 'CAP_CHECKPOINT_RESTORE',
];

const MASKED_PATHS = [
  '/proc/acpi', '/proc/asound', '/proc/kcore', '/proc/keys', '/proc/latency_stats', '/proc/timer_list',
  '/proc/timer_stats', '/proc/sched_debug', '/proc/scsi', '/sys/firmware',
];
const READONLY_PATHS = ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'];

const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Host facts the spec depends on, injected so the builder stays a pure function. */
export interface SpecContext {
  /** cgroupsPath for runc, `/<agentPrefix>/<podUid>/<containerId>`. */
  cgroupsPath: string;
  /** The agent's own RLIMIT_NOFILE hard limit; containers get no more (raising needs CAP_SYS_RESOURCE). */
  nofileLimit: number;
}

/** Normalises a capability name to the `CAP_` form runc expects ("NET_ADMIN" → "CAP_NET_ADMIN"). */
export function capabilityName(name: string): string {
  const upper = name.toUpperCase();
  return upper.startsWith('CAP_') ? upper : `CAP_${upper}`;
}

function capabilitySet(spec: ContainerSpec): string[] {
  if (spec.privileged) return [...ALL_CAPABILITIES];
  const drop = (spec.capabilities?.drop ?? []).map(capabilityName);
  const dropAll = drop.includes('CAP_ALL');
  const caps = new Set(dropAll ? [] : DEFAULT_CAPABILITIES.filter((c) => !drop.includes(c)));
  for (const add of spec.capabilities?.add ?? []) {
    const c = capabilityName(add);
    if (c === 'CAP_ALL') ALL_CAPABILITIES.forEach((x) => caps.add(x));
    else caps.add(c);
  }
  return [...caps];
}

function baseMounts(privileged: boolean): OciSpec['mounts'] {
  return [
    { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
    { destination: '/dev/pts', type: 'devpts', source: 'devpts', options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'] },
    { destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k'] },
    { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', privileged ? 'rw' : 'ro'] },
    { destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup', options: ['nosuid', 'noexec', 'nodev', 'relatime', 'ro'] },
  ];
}

function userMount(m: MountSpec): OciSpec['mounts'][number] {
  if (m.type === 'tmpfs') {
    const options = ['nosuid', 'nodev', 'mode=1777'];
    if (m.sizeBytes !== undefined) options.push(`size=${m.sizeBytes}`);
    if (m.readOnly) options.push('ro');
    return { destination: m.containerPath, type: 'tmpfs', source: 'tmpfs', options };
  }
  if (!m.hostPath) throw new Error(`bind mount ${m.containerPath} needs a hostPath`);
  return { destination: m.containerPath, type: 'bind', source: m.hostPath, options: ['rbind', 'rprivate', m.readOnly ? 'ro' : 'rw'] };
}

function resources(spec: ContainerSpec, privileged: boolean): OciSpec['linux']['resources'] {
  const r = spec.resources ?? {};
  // Deny all devices except runc's defaults (null, zero, full, tty, random, urandom, pts), which runc re-allows.
  const out: OciSpec['linux']['resources'] = { devices: [{ allow: privileged, access: 'rwm' }] };
  // swap == limit: no swap beyond the limit, so a memory-hungry container is OOM-killed, as in Kubernetes.
  if (r.memoryLimitBytes !== undefined) out.memory = { limit: r.memoryLimitBytes, swap: r.memoryLimitBytes };
  if (r.cpuShares !== undefined || r.cpuQuotaUs !== undefined) {
    out.cpu = { shares: r.cpuShares, quota: r.cpuQuotaUs, period: r.cpuQuotaUs !== undefined ? (r.cpuPeriodUs ?? 100000) : undefined };
  }
  if (r.pidsLimit !== undefined) out.pids = { limit: r.pidsLimit };
  return out;
}

/** Annotation keys recording how the main process's stdin was set up, read back by attach. */
export const STDIN_ANNOTATION = 'io.minato.stdin';
export const STDIN_ONCE_ANNOTATION = 'io.minato.stdinOnce';

function stdioAnnotations(spec: ContainerSpec): Record<string, string> {
  if (spec.stdin !== true) return {};
  return { [STDIN_ANNOTATION]: 'true', [STDIN_ONCE_ANNOTATION]: String(spec.stdinOnce === true) };
}

/** Produces the config.json for `spec`. Pure: all host facts come through `ctx`. */
export function buildOciSpec(spec: ContainerSpec, ctx: SpecContext): OciSpec {
  const privileged = spec.privileged === true;
  const caps = capabilitySet(spec);
  const env = Object.entries(spec.env ?? {}).map(([k, v]) => `${k}=${v}`);
  if (!env.some((e) => e.startsWith('PATH='))) env.unshift(`PATH=${DEFAULT_PATH}`);
  if (spec.hostname && !env.some((e) => e.startsWith('HOSTNAME='))) env.push(`HOSTNAME=${spec.hostname}`);
  if (spec.command.length === 0) throw new Error(`container ${spec.id}: empty command`);
  const network = spec.networkNamespacePath ? { type: 'network', path: spec.networkNamespacePath } : { type: 'network' };
  return {
    ociVersion: '1.0.2',
    process: {
      terminal: spec.tty === true,
      user: { uid: spec.user?.uid ?? 0, gid: spec.user?.gid ?? 0, additionalGids: spec.user?.additionalGids },
      args: spec.command,
      env,
      cwd: spec.workingDir || '/',
      capabilities: { bounding: caps, effective: caps, permitted: caps, inheritable: [], ambient: [] },
      rlimits: [{ type: 'RLIMIT_NOFILE', hard: ctx.nofileLimit, soft: ctx.nofileLimit }],
      noNewPrivileges: false,
      oomScoreAdj: 0,
    },
    root: { path: spec.rootfs, readonly: spec.readOnlyRootFilesystem === true },
    hostname: spec.hostname ?? spec.podName,
    mounts: [...baseMounts(privileged), ...(spec.mounts ?? []).map(userMount)],
    annotations: {
      'io.kubernetes.pod.uid': spec.podUid,
      'io.kubernetes.pod.namespace': spec.podNamespace,
      'io.kubernetes.pod.name': spec.podName,
      'io.kubernetes.container.name': spec.containerName,
      ...stdioAnnotations(spec),
    },
    linux: {
      namespaces: [{ type: 'pid' }, { type: 'ipc' }, { type: 'uts' }, { type: 'mount' }, network],
      cgroupsPath: ctx.cgroupsPath,
      resources: resources(spec, privileged),
      maskedPaths: privileged ? [] : MASKED_PATHS,
      readonlyPaths: privileged ? [] : READONLY_PATHS,
    },
  };
}

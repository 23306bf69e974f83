/**
 * The node agent's view of a container runtime. The verbs follow CRI's RuntimeService so a second
 * implementation (containerd over CRI) fits behind the same interface; pod sandboxes are not a
 * runtime concept here because a pod is only a network namespace path plus a cgroup parent.
 */
import type { Readable, Writable } from 'node:stream';

/** A bind mount of a host path, or a tmpfs, into the container. */
export interface MountSpec {
  containerPath: string;
  /** Host path for bind mounts; ignored for tmpfs. */
  hostPath?: string;
  type: 'bind' | 'tmpfs';
  readOnly?: boolean;
  /** tmpfs size in bytes (kernel default when absent). */
  sizeBytes?: number;
}

/** cgroup v1 limits. Absent fields mean "unlimited" / kernel default. */
export interface ResourceSpec {
  cpuShares?: number;
  cpuQuotaUs?: number;
  cpuPeriodUs?: number;
  memoryLimitBytes?: number;
  pidsLimit?: number;
}

/** Everything needed to create one container; the rootfs is already prepared (see images/). */
export interface ContainerSpec {
  /** Unique id, also used as the runc container id and the last cgroup path element. */
  id: string;
  podUid: string;
  podNamespace: string;
  podName: string;
  containerName: string;
  /** Directory holding the container's root filesystem (e.g. an overlay mount point). */
  rootfs: string;
  /** argv[0..]; the agent resolves image Entrypoint/Cmd with the pod's command/args before this. */
  command: string[];
  env?: Record<string, string>;
  workingDir?: string;
  user?: { uid: number; gid: number; additionalGids?: number[] };
  readOnlyRootFilesystem?: boolean;
  capabilities?: { add?: string[]; drop?: string[] };
  privileged?: boolean;
  mounts?: MountSpec[];
  /** Path of the pod's network namespace (e.g. /var/run/netns/x); absent = a fresh empty netns. */
  networkNamespacePath?: string;
  hostname?: string;
  resources?: ResourceSpec;
  /** Labels kept with the container and returned by listContainers (pod identity, restart count...). */
  labels?: Record<string, string>;
  /** Keep the main process's stdin open for attach (`stdin: true` in the pod spec). */
  stdin?: boolean;
  /** Close stdin when the first attach session that used it ends (`stdinOnce`). */
  stdinOnce?: boolean;
  /** Run the main process on a pseudo-terminal (`tty: true`). */
  tty?: boolean;
}

export type ContainerState = 'created' | 'running' | 'exited' | 'unknown';

/** What the runtime observed about one container; times are ISO strings as CRI gives them. */
export interface ContainerStatus {
  id: string;
  state: ContainerState;
  pid?: number;
  exitCode?: number;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  /** 'OOMKilled' when the cgroup recorded an OOM kill, 'Error' for other non-zero exits, else 'Completed'. */
  reason?: 'OOMKilled' | 'Error' | 'Completed';
  podUid: string;
  podNamespace: string;
  podName: string;
  containerName: string;
  labels: Record<string, string>;
}

/** Cumulative usage, read from the cgroup. */
export interface ContainerStats {
  cpuUsageNanoseconds: number;
  /** usage minus inactive file pages, as the kubelet computes it. */
  memoryWorkingSetBytes: number;
  memoryUsageBytes: number;
  pids: number;
}

/** A terminal size as kubectl sends it on the resize channel. */
export interface TerminalSize {
  width: number;
  height: number;
}

export interface ExecOptions {
  tty?: boolean;
  /** Client terminal sizes (tty only), the first one being the initial size; ends with the session. */
  terminalSizes?: AsyncIterable<TerminalSize>;
  stdin?: Readable;
  stdout?: Writable;
  stderr?: Writable;
  env?: Record<string, string>;
  /** Aborting kills the exec'd process. */
  signal?: AbortSignal;
}

/** The container runtime of one node agent. Every method is idempotent where CRI's is. */
export interface ContainerRuntime {
  /** Creates (but does not start) a container; returns its id. */
  createContainer(spec: ContainerSpec): Promise<string>;
  startContainer(id: string): Promise<void>;
  /** TERM, then after `graceSeconds` KILL; resolves once the container has exited. No-op if not running. */
  stopContainer(id: string, graceSeconds: number): Promise<void>;
  /** Stops (without grace) and deletes the container and everything it owns on the host. Unknown ids are fine. */
  removeContainer(id: string): Promise<void>;
  /** Throws if the id is unknown. */
  containerStatus(id: string): Promise<ContainerStatus>;
  /** All containers of this runtime, including ones created by an earlier instance over the same dirs. */
  listContainers(): Promise<ContainerStatus[]>;
  /** Runs a command inside a running container and resolves to its exit code. */
  exec(id: string, command: string[], options?: ExecOptions): Promise<number>;
  stats(id: string): Promise<ContainerStats>;
  /** Path of the CRI-format log file ("<time> stdout|stderr F|P <line>"). */
  logPath(id: string): string;
}

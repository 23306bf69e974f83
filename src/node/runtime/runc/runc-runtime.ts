/**
 * A ContainerRuntime on runc, with one conmon per container. conmon is the container's parent: it
 * reaps it, writes its exit code to `<data>/exits/<id>` and its output to a CRI-format log, and it
 * lives apart from the agent, so exit codes and logs survive an agent restart. All state lives
 * under the data dir (runc's `--root`, bundles, records), so a new instance sees old containers.
 */
import { randomBytes } from 'node:crypto';
import { readFile, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { realClock, type Clock } from '../../../client/clock.ts';
import type {
  ContainerRuntime, ContainerSpec, ContainerState, ContainerStats, ContainerStatus, ExecOptions,
} from '../container-runtime.ts';
import { hostCgroupFs, oomKilled, readStats, removeEmptyCgroup, type CgroupFs } from './cgroups.ts';
import { ContainerStore, RuntimeDirs, type ContainerRecord } from './container-store.ts';
import { buildOciSpec } from './oci-spec.ts';
import { mustRun, runCommand } from '../../launcher/run-command.ts';
import { sharedLauncher } from '../../launcher/command-launcher.ts';
import { runExec } from './exec.ts';
import { attachToContainer, conmonStdioArgs } from './attach.ts';
import { execWithTerminal } from './exec-terminal.ts';
import { processIdentity, processLiveness } from './process-identity.ts';
import { removeStaleExecSessions } from './exec-sessions.ts';

/** Configuration of a RuncRuntime; only dataDir and cgroupPrefix are required. */
export interface RuncRuntimeConfig {
  /** Owned by this runtime: runc root, bundles, exit files, logs. Keep it short (socket paths). */
  dataDir: string;
  /** First cgroup path element, unique per agent (e.g. "minato-node1"). */
  cgroupPrefix: string;
  runcPath?: string;
  conmonPath?: string;
  clock?: Clock;
  cgroupFs?: CgroupFs;
  /** How long to wait for a killed container's exit file (default 10 s). */
  killTimeoutMs?: number;
}

const ID_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/;
const POLL_MS = 20;

interface RuncState {
  status: string;
  pid: number;
}

/** runc + conmon implementation of {@link ContainerRuntime}. */
export class RuncRuntime implements ContainerRuntime {
  private readonly dirs: RuntimeDirs;
  private readonly store: ContainerStore;
  private readonly runc: string;
  private readonly conmon: string;
  private readonly clock: Clock;
  private readonly cgroupFs: CgroupFs;
  private readonly killTimeoutMs: number;
  private ready: Promise<void> | undefined;

  constructor(private readonly config: RuncRuntimeConfig) {
    if (!/^[a-zA-Z0-9_.-]+$/.test(config.cgroupPrefix)) throw new Error(`invalid cgroupPrefix ${config.cgroupPrefix}`);
    this.dirs = new RuntimeDirs(config.dataDir);
    this.store = new ContainerStore(this.dirs);
    this.runc = config.runcPath ?? '/usr/sbin/runc';
    this.conmon = config.conmonPath ?? '/usr/bin/conmon';
    this.clock = config.clock ?? realClock;
    this.cgroupFs = config.cgroupFs ?? hostCgroupFs;
    this.killTimeoutMs = config.killTimeoutMs ?? 10_000;
  }

  /** The cgroup of a container: `/<prefix>/<podUid>/<containerId>`. */
  cgroupsPath(podUid: string, id: string): string {
    return posix.join('/', this.config.cgroupPrefix, podUid, id);
  }

  private init(): Promise<void> {
    // Sessions of an agent that died mid-exec leave their folders behind once their conmon is gone.
    this.ready ??= (async () => {
      await this.dirs.create();
      await removeStaleExecSessions(this.execDir);
    })();
    return this.ready;
  }

  private get execDir(): string {
    return join(this.config.dataDir, 'exec');
  }

  private runcArgs(...args: string[]): string[] {
    return ['--root', this.dirs.runcRoot, ...args];
  }

  async createContainer(spec: ContainerSpec): Promise<string> {
    await this.init();
    if (!ID_PATTERN.test(spec.id)) throw new Error(`invalid container id ${JSON.stringify(spec.id)}`);
    if (!/^[a-zA-Z0-9_.-]+$/.test(spec.podUid)) throw new Error(`invalid pod uid ${JSON.stringify(spec.podUid)}`);
    if (await this.store.load(spec.id)) throw new Error(`container ${spec.id} already exists`);
    const cgroupsPath = this.cgroupsPath(spec.podUid, spec.id);
    const oci = buildOciSpec(spec, { cgroupsPath, nofileLimit: await nofileHardLimit() });
    const bundle = this.dirs.bundle(spec.id);
    await mkdir(bundle, { recursive: true });
    await writeFile(join(bundle, 'config.json'), JSON.stringify(oci, null, 2));
    const rec: ContainerRecord = {
      id: spec.id, podUid: spec.podUid, podNamespace: spec.podNamespace, podName: spec.podName,
      containerName: spec.containerName, labels: spec.labels ?? {}, cgroupsPath, createdAt: this.clock.now().toISOString(),
    };
    await this.store.save(rec);
    try {
      const pid = await this.spawnConmon(spec.id, conmonStdioArgs(spec));
      const init = await processIdentity(pid);
      if (init) await this.store.save({ ...rec, init });
    } catch (e) {
      await this.removeContainer(spec.id);
      throw e;
    }
    return spec.id;
  }

  /** conmon runs `runc create` and reports the init pid (or the error) on its sync pipe, fd 3. */
  private async spawnConmon(id: string, stdioArgs: string[]): Promise<number> {
    const bundle = this.dirs.bundle(id);
    const args = [
      '--cid', id, '--cuuid', id, '--name', id, '--runtime', this.runc,
      '--runtime-arg', '--root', '--runtime-arg', this.dirs.runcRoot, '--bundle', bundle,
      '--exit-dir', this.dirs.exits, '--log-path', `k8s-file:${this.dirs.logFile(id)}`,
      '--container-pidfile', join(bundle, 'container.pid'), '--conmon-pidfile', join(bundle, 'conmon.pid'),
      '--socket-dir-path', this.dirs.sockets, '--exit-delay', '0', ...stdioArgs,
    ];
    const msg = await sharedLauncher().startDetached(this.conmon, args, {
      env: { _OCI_SYNCPIPE: '3' },
      // conmon writes an `oom` file into its working directory when the container is OOM-killed.
      cwd: bundle,
      timeoutMs: 30_000,
    });
    if (msg.pid <= 0) throw new Error(`runc create ${id} failed: ${msg.message ?? 'unknown error'}`);
    return msg.pid;
  }

  async startContainer(id: string): Promise<void> {
    const rec = await this.record(id);
    await mustRun(this.runc, this.runcArgs('start', id));
    rec.startedAt = this.clock.now().toISOString();
    await this.store.save(rec);
  }

  async stopContainer(id: string, graceSeconds: number): Promise<void> {
    const rec = await this.record(id);
    if (await this.exitInfo(id)) return;
    const st = await this.runcState(rec);
    if (!st || st.status === 'stopped') return;
    // busybox sh as PID 1 ignores TERM, so KILL after the grace period is the normal path for it.
    if (graceSeconds > 0) {
      await this.kill(rec, 'TERM');
      if (await this.waitExit(id, graceSeconds * 1000)) return;
    }
    await this.kill(rec, 'KILL');
    if (!(await this.waitExit(id, this.killTimeoutMs))) throw new Error(`container ${id} did not exit after KILL`);
  }

  async removeContainer(id: string): Promise<void> {
    await this.init();
    const rec = await this.store.load(id);
    const st = await this.runcState(rec ?? id);
    if (st && st.status !== 'stopped' && rec) {
      await this.kill(rec, 'KILL');
      await this.waitExit(id, this.killTimeoutMs);
    }
    if (st) await runCommand(this.runc, this.runcArgs('delete', '--force', id));
    await this.reapConmon(id);
    await rm(this.dirs.exitFile(id), { force: true });
    await rm(this.dirs.logFile(id), { force: true });
    await rm(join(this.dirs.sockets, id), { recursive: true, force: true });
    await this.store.remove(id);
    if (rec) {
      await removeEmptyCgroup(this.cgroupFs, rec.cgroupsPath);
      await removeEmptyCgroup(this.cgroupFs, posix.dirname(rec.cgroupsPath));
      await removeEmptyCgroup(this.cgroupFs, posix.join('/', this.config.cgroupPrefix));
    }
  }

  async containerStatus(id: string): Promise<ContainerStatus> {
    const rec = await this.record(id);
    let exit = await this.exitInfo(id);
    let st: RuncState | undefined;
    if (!exit) {
      st = await this.runcState(rec);
      // runc says stopped a moment before conmon has written the exit file.
      if (st?.status === 'stopped' && (await this.waitExit(id, 1000))) exit = await this.exitInfo(id);
    }
    let state: ContainerState = 'unknown';
    if (exit) state = 'exited';
    else if (st?.status === 'created') state = 'created';
    else if (st?.status === 'running' || st?.status === 'paused') state = 'running';
    if (exit && !rec.reason) {
      const oom = await oomKilled(this.cgroupFs, rec.cgroupsPath);
      rec.reason = oom ? 'OOMKilled' : exit.code === 0 ? 'Completed' : 'Error';
      await this.store.save(rec);
    }
    return {
      id, state, pid: state === 'running' || state === 'created' ? st?.pid : undefined,
      exitCode: exit?.code, createdAt: rec.createdAt, startedAt: rec.startedAt, finishedAt: exit?.at,
      reason: exit ? rec.reason : undefined, podUid: rec.podUid, podNamespace: rec.podNamespace,
      podName: rec.podName, containerName: rec.containerName, labels: rec.labels,
    };
  }

  async listContainers(): Promise<ContainerStatus[]> {
    await this.init();
    const out: ContainerStatus[] = [];
    for (const id of await this.store.ids()) {
      if (await this.store.load(id)) out.push(await this.containerStatus(id));
    }
    return out;
  }

  async exec(id: string, command: string[], options: ExecOptions = {}): Promise<number> {
    await this.record(id);
    if (options.tty) {
      const sessionDir = join(this.execDir, randomBytes(6).toString('hex'));
      const target = { conmon: this.conmon, runc: this.runc, runcRoot: this.dirs.runcRoot, containerId: id, bundle: this.dirs.bundle(id), sessionDir };
      return execWithTerminal(target, command, options);
    }
    const args = ['exec'];
    for (const [k, v] of Object.entries(options.env ?? {})) args.push('--env', `${k}=${v}`);
    return runExec(this.runc, this.runcArgs(...args, id, ...command), options);
  }

  /** Connects to the main process's stdio (kept by conmon); resolves when the session ends. */
  async attach(id: string, options: ExecOptions): Promise<void> {
    await this.record(id);
    return attachToContainer(this.dirs.bundle(id), options);
  }

  async stats(id: string): Promise<ContainerStats> {
    const rec = await this.record(id);
    return readStats(this.cgroupFs, rec.cgroupsPath);
  }

  logPath(id: string): string {
    return this.dirs.logFile(id);
  }

  private async record(id: string): Promise<ContainerRecord> {
    await this.init();
    const rec = await this.store.load(id);
    if (!rec) throw new Error(`container ${id} not found`);
    return rec;
  }

  /**
   * What `runc state` would say. For a started container whose init process we know, it is read
   * from /proc: asking runc costs a fork and a Go start-up, and the agent asks for every container
   * every second. Between create and start only runc knows whether a start went through.
   */
  private async runcState(recOrId: ContainerRecord | string): Promise<RuncState | undefined> {
    if (typeof recOrId !== 'string' && recOrId.init) {
      const live = await processLiveness(recOrId.init);
      if (live !== 'alive') return { status: 'stopped', pid: recOrId.init.pid };
      if (recOrId.startedAt) return { status: 'running', pid: recOrId.init.pid };
    }
    const id = typeof recOrId === 'string' ? recOrId : recOrId.id;
    const r = await runCommand(this.runc, this.runcArgs('state', id));
    if (r.code !== 0) return undefined;
    return JSON.parse(r.stdout) as RuncState;
  }

  private async kill(rec: ContainerRecord, signal: 'TERM' | 'KILL'): Promise<void> {
    if (rec.init) {
      // Signalling the init directly is what `runc kill` does, minus the fork; the start time guards against pid reuse.
      if ((await processLiveness(rec.init)) !== 'alive') return;
      try {
        process.kill(rec.init.pid, `SIG${signal}`);
      } catch {
        // it exited between the check and the signal; the exit file tells the rest
      }
      return;
    }
    // Fails when the container has just exited; the exit file is the truth, so the error is ignored.
    await runCommand(this.runc, this.runcArgs('kill', rec.id, signal));
  }

  private async exitInfo(id: string): Promise<{ code: number; at: string } | undefined> {
    try {
      const text = await readFile(this.dirs.exitFile(id), 'utf8');
      if (text.trim() === '') return undefined; // conmon is still writing it
      const st = await stat(this.dirs.exitFile(id));
      return { code: Number(text.trim()), at: st.mtime.toISOString() };
    } catch {
      return undefined;
    }
  }

  private async waitExit(id: string, timeoutMs: number): Promise<boolean> {
    const deadline = this.clock.now().getTime() + timeoutMs;
    for (;;) {
      if (await this.exitInfo(id)) return true;
      if (this.clock.now().getTime() >= deadline) return false;
      await this.clock.sleep(POLL_MS);
    }
  }

  /** conmon exits by itself after the container; make sure of it before its files go away. */
  private async reapConmon(id: string): Promise<void> {
    const pid = await readPid(join(this.dirs.bundle(id), 'conmon.pid'));
    if (pid === undefined) return;
    const deadline = this.clock.now().getTime() + 2000;
    while (await isConmonOf(pid, id)) {
      if (this.clock.now().getTime() >= deadline) {
        process.kill(pid, 'SIGKILL');
        return;
      }
      await this.clock.sleep(POLL_MS);
    }
  }
}

async function readPid(path: string): Promise<number | undefined> {
  try {
    const n = Number((await readFile(path, 'utf8')).trim());
    return Number.isInteger(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

/** Checks the pid still names conmon for this container (pids get reused). */
async function isConmonOf(pid: number, id: string): Promise<boolean> {
  try {
    const argv = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0');
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    if (/\) Z /.test(stat)) return false;
    return (argv[0] ?? '').endsWith('conmon') && argv.includes(id);
  } catch {
    return false;
  }
}

/** The agent's RLIMIT_NOFILE hard limit; a container cannot be given more without CAP_SYS_RESOURCE. */
async function nofileHardLimit(): Promise<number> {
  const text = await readFile('/proc/self/limits', 'utf8');
  const line = text.split('\n').find((l) => l.startsWith('Max open files'));
  const hard = line?.trim().split(/\s+/)[4];
  const n = Number(hard);
  return Number.isFinite(n) && n > 0 ? n : 1024;
}

/**
 * TEST ONLY. A ContainerRuntime whose "containers" are plain child processes on the host: no
 * isolation, no image, no cgroup. It exists so the agent's streaming server can be driven by real
 * kubectl without root or runc; product code must never use it. Logs are written in the CRI format
 * conmon produces, stats come from /proc/<pid>.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { ContainerRuntime, ContainerSpec, ContainerStats, ContainerStatus, ExecOptions } from '../../src/node/runtime/container-runtime.ts';

interface Proc {
  spec: ContainerSpec;
  child?: ChildProcess;
  log: WriteStream;
  status: ContainerStatus;
}

/** Appends CRI records for each line of `source`; an unfinished tail is written as a `P` record. */
function criLines(source: Readable, stream: 'stdout' | 'stderr', log: WriteStream): void {
  let rest = '';
  source.on('data', (chunk: Buffer) => {
    const lines = (rest + chunk.toString()).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) log.write(`${new Date().toISOString().replace('Z', '000000Z')} ${stream} F ${line}\n`);
  });
  source.on('end', () => {
    if (rest) log.write(`${new Date().toISOString().replace('Z', '000000Z')} ${stream} P ${rest}\n`);
  });
}

export class ProcessTestRuntime implements ContainerRuntime {
  private readonly procs = new Map<string, Proc>();

  constructor(private readonly dir: string) {}

  async createContainer(spec: ContainerSpec): Promise<string> {
    const log = createWriteStream(this.logPath(spec.id), { flags: 'a' });
    this.procs.set(spec.id, {
      spec,
      log,
      status: { id: spec.id, state: 'created', createdAt: new Date().toISOString(), podUid: spec.podUid, podNamespace: spec.podNamespace, podName: spec.podName, containerName: spec.containerName, labels: spec.labels ?? {} },
    });
    return spec.id;
  }

  async startContainer(id: string): Promise<void> {
    const p = this.get(id);
    const [cmd, ...args] = p.spec.command;
    const child = spawn(cmd as string, args, { cwd: p.spec.workingDir ?? this.dir, env: { ...process.env, ...p.spec.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    p.child = child;
    criLines(child.stdout as Readable, 'stdout', p.log);
    criLines(child.stderr as Readable, 'stderr', p.log);
    p.status = { ...p.status, state: 'running', pid: child.pid, startedAt: new Date().toISOString() };
    child.once('exit', (code, signal) => {
      p.status = { ...p.status, state: 'exited', exitCode: code ?? 128 + (signal === 'SIGKILL' ? 9 : 15), finishedAt: new Date().toISOString(), reason: code === 0 ? 'Completed' : 'Error' };
    });
  }

  async stopContainer(id: string, graceSeconds: number): Promise<void> {
    const p = this.procs.get(id);
    if (!p?.child || p.status.state !== 'running') return;
    const exited = new Promise<void>((resolve) => p.child?.once('exit', () => resolve()));
    p.child.kill('SIGTERM');
    const timer = setTimeout(() => p.child?.kill('SIGKILL'), graceSeconds * 1000);
    await exited;
    clearTimeout(timer);
  }

  async removeContainer(id: string): Promise<void> {
    await this.stopContainer(id, 0);
    const p = this.procs.get(id);
    p?.log.end();
    this.procs.delete(id);
    await rm(this.logPath(id), { force: true });
  }

  async containerStatus(id: string): Promise<ContainerStatus> {
    return { ...this.get(id).status };
  }

  async listContainers(): Promise<ContainerStatus[]> {
    return [...this.procs.values()].map((p) => ({ ...p.status }));
  }

  exec(id: string, command: string[], options: ExecOptions = {}): Promise<number> {
    const p = this.get(id);
    if (p.status.state !== 'running') return Promise.reject(new Error(`container ${id} is not running`));
    return new Promise((resolve, reject) => {
      const [cmd, ...args] = command;
      const child = spawn(cmd as string, args, { cwd: p.spec.workingDir ?? this.dir, env: { ...process.env, ...p.spec.env, ...options.env }, stdio: ['pipe', 'pipe', 'pipe'] });
      if (options.stdin) options.stdin.pipe(child.stdin);
      else child.stdin.end();
      child.stdin.on('error', () => undefined);
      child.stdout.on('data', (d: Buffer) => options.stdout?.write(d));
      // Without a pty, a tty session gets stderr merged into stdout, as a terminal shows it.
      child.stderr.on('data', (d: Buffer) => (options.tty ? options.stdout : options.stderr)?.write(d));
      const onAbort = () => child.kill('SIGKILL');
      options.signal?.addEventListener('abort', onAbort, { once: true });
      child.once('error', reject);
      child.once('close', (code, signal) => {
        options.signal?.removeEventListener('abort', onAbort);
        options.stdin?.unpipe(child.stdin);
        resolve(code ?? 128 + (signal === 'SIGKILL' ? 9 : 15));
      });
    });
  }

  async stats(id: string): Promise<ContainerStats> {
    const pid = this.get(id).status.pid;
    if (!pid) throw new Error(`container ${id} has no process`);
    const stat = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]?.split(' ') ?? [];
    const ticks = Number(stat[11] ?? 0) + Number(stat[12] ?? 0); // utime + stime
    const rss = Number(/^VmRSS:\s+(\d+)/m.exec(await readFile(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
    return { cpuUsageNanoseconds: ticks * 10_000_000, memoryWorkingSetBytes: rss, memoryUsageBytes: rss, pids: 1 };
  }

  logPath(id: string): string {
    return join(this.dir, `${id}.log`);
  }

  /** Kills every process (test teardown). */
  async shutdown(): Promise<void> {
    for (const id of [...this.procs.keys()]) await this.removeContainer(id);
  }

  private get(id: string): Proc {
    const p = this.procs.get(id);
    if (!p) throw new Error(`container ${id} not found`);
    return p;
  }
}

/**
 * What the runtime remembers about a container, kept on disk beside its bundle so that a new
 * RuncRuntime over the same data dir (an agent restart) knows every container the old one made.
 */
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProcessIdentity } from './process-identity.ts';

/** The persisted record of one container. */
export interface ContainerRecord {
  id: string;
  podUid: string;
  podNamespace: string;
  podName: string;
  containerName: string;
  labels: Record<string, string>;
  cgroupsPath: string;
  createdAt: string;
  startedAt?: string;
  /** The container's init process (runc init, then the entrypoint); absent in records of older agents. */
  init?: ProcessIdentity;
  /** Set once the container has exited and its reason was read (before the cgroup disappears). */
  reason?: 'OOMKilled' | 'Error' | 'Completed';
}

/** Directory layout under the runtime's data dir. */
export class RuntimeDirs {
  constructor(readonly dataDir: string) {}
  get runcRoot(): string {
    return join(this.dataDir, 'runc');
  }
  get containers(): string {
    return join(this.dataDir, 'containers');
  }
  get exits(): string {
    return join(this.dataDir, 'exits');
  }
  get logs(): string {
    return join(this.dataDir, 'logs');
  }
  get sockets(): string {
    return join(this.dataDir, 'sock');
  }
  bundle(id: string): string {
    return join(this.containers, id);
  }
  exitFile(id: string): string {
    return join(this.exits, id);
  }
  logFile(id: string): string {
    return join(this.logs, `${id}.log`);
  }
  async create(): Promise<void> {
    for (const d of [this.runcRoot, this.containers, this.exits, this.logs, this.sockets]) {
      await mkdir(d, { recursive: true });
    }
  }
}

/** Container records as JSON files, written atomically (temp file + rename). */
export class ContainerStore {
  constructor(private readonly dirs: RuntimeDirs) {}

  private file(id: string): string {
    return join(this.dirs.bundle(id), 'record.json');
  }

  async save(rec: ContainerRecord): Promise<void> {
    const tmp = `${this.file(rec.id)}.tmp`;
    await writeFile(tmp, JSON.stringify(rec, null, 2));
    await rename(tmp, this.file(rec.id));
  }

  async load(id: string): Promise<ContainerRecord | undefined> {
    try {
      return JSON.parse(await readFile(this.file(id), 'utf8')) as ContainerRecord;
    } catch {
      return undefined;
    }
  }

  async ids(): Promise<string[]> {
    try {
      return (await readdir(this.dirs.containers)).sort();
    } catch {
      return [];
    }
  }

  async remove(id: string): Promise<void> {
    await rm(this.dirs.bundle(id), { recursive: true, force: true });
  }
}

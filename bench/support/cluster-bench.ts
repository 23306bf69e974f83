import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../src/api/types.ts';
import type { KubeClient } from '../../src/client/kube-client.ts';
import { R } from '../../src/client/resource-ref.ts';

/** Resident memory of a process in MiB (Linux /proc), or NaN when it is gone. */
export function rssMiB(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** CPU seconds (user + system) a process has used so far (Linux /proc), or NaN. */
export function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/** Samples peak RSS of the given processes every second until stopped. */
export function peakRss(pids: Record<string, number | undefined>): { stop(): Record<string, number> } {
  const peak: Record<string, number> = {};
  const sample = () => {
    for (const [name, pid] of Object.entries(pids)) peak[name] = Math.max(peak[name] ?? 0, rssMiB(pid) || 0);
  };
  sample();
  const t = setInterval(sample, 1000);
  return {
    stop() {
      clearInterval(t);
      sample();
      return peak;
    },
  };
}

export function machine(): string {
  return `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

/** A pause pod asking for a little cpu and memory, as scheduler_perf's default pod does. */
export function benchPod(namespace: string, name: string): KubeObject {
  return {
    metadata: { name, namespace, labels: { app: 'bench' } },
    spec: { containers: [{ name: 'pause', image: 'registry.k8s.io/pause:3.9', resources: { requests: { cpu: '10m', memory: '16Mi' } } }], terminationGracePeriodSeconds: 0 },
  };
}

/** Runs `op(i)` for i in [0, total) with `concurrency` in flight. */
export async function inParallel(total: number, concurrency: number, op: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < total) await op(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
}

/**
 * Counts pods by state from one watch (light: keeps only name → state, not the objects), and
 * records when given counts were reached.
 */
export class PodCounter {
  readonly bound = new Set<string>();
  readonly running = new Set<string>();
  private marks: Array<{ what: 'bound' | 'running'; n: number; resolve: (ms: number) => void }> = [];

  constructor(private readonly t0: () => number) {}

  async run(client: KubeClient, signal: AbortSignal): Promise<void> {
    await client.watch<Pod>(R.pods, { resourceVersion: '0', timeoutSeconds: 3600 }, (e) => this.onEvent(e.type, e.object), signal);
  }

  when(what: 'bound' | 'running', n: number): Promise<number> {
    return new Promise((resolve) => {
      this.marks.push({ what, n, resolve });
      this.check();
    });
  }

  private onEvent(type: string, p: Pod): void {
    if (type === 'BOOKMARK' || type === 'ERROR') return;
    const key = `${p.metadata?.namespace ?? ''}/${p.metadata?.name ?? ''}`;
    if (type === 'DELETED') {
      this.bound.delete(key);
      this.running.delete(key);
    } else {
      if (p.spec?.nodeName) this.bound.add(key);
      if (p.status?.phase === 'Running') this.running.add(key);
    }
    this.check();
  }

  private check(): void {
    this.marks = this.marks.filter((m) => {
      const have = m.what === 'bound' ? this.bound.size : this.running.size;
      if (have < m.n) return true;
      m.resolve(this.t0());
      return false;
    });
  }
}
